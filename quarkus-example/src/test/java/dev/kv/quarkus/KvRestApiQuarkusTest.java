package dev.kv.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same REST API as the WildFly example, served by Quarkus REST from kv-rest. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class KvRestApiQuarkusTest {

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();
    private String key;

    @BeforeEach
    void newKey() {
        key = "rest-" + UUID.randomUUID();
    }

    private URI uri(String path) {
        return URI.create(base.toString()).resolve(path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String type, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("api/" + path))
                .header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri("api/" + path)).GET());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri("api/" + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals(
                "application/problem+json",
                response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("\"status\":" + status), response.body());
    }

    @Test
    void putThenGetWithVersionsAsETags() throws Exception {
        HttpResponse<String> created = put("kv/" + key, "application/json", "{\"cart\": [1, 2]}");
        assertEquals(201, created.statusCode(), created::body);
        assertEquals("\"1\"", created.headers().firstValue("ETag").orElseThrow());
        HttpResponse<String> read = get("kv/" + key);
        assertEquals("{\"cart\": [1, 2]}", read.body());
        assertTrue(read.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals(204, put("kv/" + key, "application/json", "2").statusCode());
        assertEquals("\"2\"", get("kv/" + key).headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void binaryBodiesKeepTheirContentTypeAndTtl() throws Exception {
        assertEquals(
                201,
                put("kv/" + key + "?ttl=PT1H", "application/octet-stream", "raw bytes")
                        .statusCode());
        HttpResponse<String> read = get("kv/" + key);
        assertEquals("raw bytes", read.body());
        assertEquals(
                "application/octet-stream",
                read.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(read.headers().firstValue("Kv-Expires-At").isPresent());
    }

    @Test
    void ifMatchAppliesAWriteOnlyToTheGivenVersion() throws Exception {
        put("kv/" + key, "application/json", "1");
        assertProblem(put("kv/" + key, "application/json", "2", "If-Match", "\"7\""), 412);
        assertEquals(
                204,
                put("kv/" + key, "application/json", "2", "If-Match", "\"1\"").statusCode());
        assertEquals("2", get("kv/" + key).body());
        assertProblem(put("kv/" + key, "application/json", "3", "If-None-Match", "*"), 412);
        assertProblem(
                send(HttpRequest.newBuilder(uri("api/kv/" + key))
                        .header("If-Match", "\"1\"")
                        .DELETE()),
                412);
        assertEquals(
                204,
                send(HttpRequest.newBuilder(uri("api/kv/" + key))
                                .header("If-Match", "\"2\"")
                                .DELETE())
                        .statusCode());
        assertProblem(get("kv/" + key), 404);
    }

    @Test
    void errorsAreProblems() throws Exception {
        assertProblem(put("kv/" + "k".repeat(1100), "application/json", "1"), 400);
        assertProblem(put("kv/" + key, "application/json", "{not json"), 400);
        assertProblem(put("kv/" + key, "application/octet-stream", "x".repeat(70_000)), 413);
        assertProblem(get("kv?limit=0"), 400);
    }

    @Test
    void listingPagesThroughKeysWithAPrefix() throws Exception {
        for (String k : new String[] {"c", "a", "b", "d"}) {
            put("kv/" + key + ":" + k, k.equals("b") ? "application/octet-stream" : "application/json", "1");
        }
        assertEquals(
                "{\"keys\":[\"" + key + ":a\",\"" + key + ":b\",\"" + key + ":c\"],\"next\":\"" + key + ":c\"}",
                get("kv?prefix=" + key + ":&limit=3").body());
        assertEquals(
                "{\"keys\":[\"" + key + ":d\"],\"next\":null}",
                get("kv?prefix=" + key + ":&limit=3&after=" + key + ":c").body());
    }

    @Test
    void incrementIsAtomicAndRefusesNonIntegers() throws Exception {
        assertEquals("1", post("kv/" + key + "/increment").body());
        assertEquals("11", post("kv/" + key + "/increment?by=10").body());
        put("kv/" + key + "-text", "application/json", "\"text\"");
        assertProblem(post("kv/" + key + "-text/increment"), 409);
    }

    @Test
    void theRateLimiterAllowsThreeRequestsPerWindowThenAnswers429() throws Exception {
        for (int i = 2; i >= 0; i--) {
            assertEquals("{\"remaining\":" + i + "}", post("rate-limit/" + key).body());
        }
        HttpResponse<String> refused = post("rate-limit/" + key);
        assertProblem(refused, 429);
        assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) > 0);
    }

    @Test
    void theReadinessCheckReportsTheStores() throws Exception {
        HttpResponse<String> ready =
                send(HttpRequest.newBuilder(uri("q/health/ready")).GET());
        assertEquals(200, ready.statusCode(), ready::body);
        assertTrue(ready.body().contains("\"kv\""), ready.body());
    }

    @Test
    void storeOperationsAreExportedAsMetricsWithHitsAndMisses() throws Exception {
        put("kv/" + key, "application/json", "1");
        get("kv/" + key);
        get("kv/" + key + "-absent");
        String metrics = send(HttpRequest.newBuilder(uri("q/metrics")).GET()).body();
        assertTrue(
                metrics.contains(
                        "kv_operations_seconds_count{operation=\"getEntry\",outcome=\"hit\",store=\"default\"}"),
                metrics);
        assertTrue(
                metrics.contains(
                        "kv_operations_seconds_count{operation=\"getEntry\",outcome=\"miss\",store=\"blobs\"}"),
                metrics);
        assertTrue(
                metrics.contains("kv_operations_seconds_count{operation=\"set\",outcome=\"ok\",store=\"default\"}"),
                metrics);
    }
}
