package dev.kv.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kv.testing.TestPostgres;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The REST API over HTTP, as a client sees it. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KvRestApiIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(Deployments.Setup.HTTP);
    }

    @ArquillianResource
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();
    private String key;

    @BeforeEach
    void newKey() {
        key = "rest-" + UUID.randomUUID();
    }

    private URI uri(String path) {
        return URI.create(base.toString()).resolve("api/" + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String path, String type, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static void assertProblem(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response::body);
        assertEquals(
                "application/problem+json",
                response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("\"status\":" + status), response.body());
    }

    @Test
    void putThenGetAJsonDocumentWithItsVersionAsETag() throws Exception {
        HttpResponse<String> created = put("kv/" + key, "application/json", "{\"cart\": [1, 2]}");
        assertEquals(201, created.statusCode(), created::body);
        assertEquals("\"1\"", created.headers().firstValue("ETag").orElseThrow());

        HttpResponse<String> read = get("kv/" + key);
        assertEquals(200, read.statusCode());
        assertEquals("{\"cart\": [1, 2]}", read.body());
        assertTrue(read.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertEquals("\"1\"", read.headers().firstValue("ETag").orElseThrow());

        HttpResponse<String> replaced = put("kv/" + key, "application/json", "2");
        assertEquals(204, replaced.statusCode());
        assertEquals("\"2\"", replaced.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void binaryBodiesKeepTheirContentTypeAndTtlComesFromTheHeader() throws Exception {
        assertEquals(
                201,
                put("kv/" + key, "application/octet-stream", "raw bytes", "Kv-Ttl", "3600")
                        .statusCode());
        HttpResponse<String> read = get("kv/" + key);
        assertEquals("raw bytes", read.body());
        assertEquals(
                "application/octet-stream",
                read.headers().firstValue("Content-Type").orElseThrow());
        assertNotNull(read.headers().firstValue("Kv-Expires-At").orElse(null));
    }

    @Test
    void ifMatchAppliesAWriteOnlyToTheGivenVersion() throws Exception {
        put("kv/" + key, "application/json", "1");
        assertProblem(put("kv/" + key, "application/json", "2", "If-Match", "\"7\""), 412);
        assertEquals("1", get("kv/" + key).body());
        HttpResponse<String> matched = put("kv/" + key, "application/json", "2", "If-Match", "\"1\"");
        assertEquals(204, matched.statusCode(), matched::body);
        assertEquals("2", get("kv/" + key).body());
        assertProblem(put("kv/" + key, "application/json", "3", "If-None-Match", "*"), 412);
        assertProblem(
                send(HttpRequest.newBuilder(uri("kv/" + key))
                        .header("If-Match", "\"1\"")
                        .DELETE()),
                412);
        assertEquals(
                204,
                send(HttpRequest.newBuilder(uri("kv/" + key))
                                .header("If-Match", "\"2\"")
                                .DELETE())
                        .statusCode());
    }

    @Test
    void deleteThenGetIsNotFound() throws Exception {
        put("kv/" + key, "application/json", "true");
        assertEquals(
                204, send(HttpRequest.newBuilder(uri("kv/" + key)).DELETE()).statusCode());
        assertProblem(get("kv/" + key), 404);
        assertProblem(send(HttpRequest.newBuilder(uri("kv/" + key)).DELETE()), 404);
    }

    @Test
    void errorsAreProblems() throws Exception {
        assertProblem(put("kv/" + "k".repeat(1100), "application/json", "1"), 400);
        assertProblem(put("kv/" + key, "application/json", "{not json"), 400);
        assertProblem(put("kv/" + key, "application/octet-stream", "x".repeat(70_000)), 413);
        assertProblem(put("kv/" + key + "?ttl=soon", "application/json", "1"), 400);
        assertProblem(get("kv?limit=0"), 400);
    }

    @Test
    void listingPagesThroughKeysWithAPrefix() throws Exception {
        for (String k : new String[] {"c", "a", "b", "d"}) {
            put("kv/" + key + ":" + k, k.equals("b") ? "application/octet-stream" : "application/json", "1");
        }
        HttpResponse<String> first = get("kv?prefix=" + key + ":&limit=3");
        assertEquals(
                "{\"keys\":[\"" + key + ":a\",\"" + key + ":b\",\"" + key + ":c\"],\"next\":\"" + key + ":c\"}",
                first.body());
        HttpResponse<String> second = get("kv?prefix=" + key + ":&limit=3&after=" + key + ":c");
        assertEquals("{\"keys\":[\"" + key + ":d\"],\"next\":null}", second.body());
    }

    @Test
    void incrementIsAtomicAndRefusesNonIntegers() throws Exception {
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> response = send(
                    HttpRequest.newBuilder(uri("kv/" + key + "/increment")).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, response.statusCode(), response::body);
            assertEquals(String.valueOf(i), response.body());
        }
        assertEquals(
                "13",
                send(HttpRequest.newBuilder(uri("kv/" + key + "/increment?by=10"))
                                .POST(HttpRequest.BodyPublishers.noBody()))
                        .body());
        put("kv/" + key + "-text", "application/json", "\"text\"");
        assertProblem(
                send(HttpRequest.newBuilder(uri("kv/" + key + "-text/increment"))
                        .POST(HttpRequest.BodyPublishers.noBody())),
                409);
    }

    @Test
    void theRateLimiterAllowsThreeRequestsPerWindowThenAnswers429() throws Exception {
        for (int i = 2; i >= 0; i--) {
            HttpResponse<String> allowed =
                    send(HttpRequest.newBuilder(uri("rate-limit/" + key)).POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, allowed.statusCode(), allowed::body);
            assertEquals("{\"remaining\":" + i + "}", allowed.body());
        }
        HttpResponse<String> refused =
                send(HttpRequest.newBuilder(uri("rate-limit/" + key)).POST(HttpRequest.BodyPublishers.noBody()));
        assertProblem(refused, 429);
        assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) > 0);
    }

    @Test
    void theReadinessCheckReportsTheStores() throws Exception {
        HttpResponse<String> ready = http.send(
                HttpRequest.newBuilder(URI.create("http://" + base.getHost() + ":9990/health/ready"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready::body);
        assertTrue(ready.body().contains("\"name\":\"kv\""), ready.body());
    }

    @Test
    void aDatabaseThatCannotServeInTimeIsA503WithRetryAfter() throws Exception {
        put("kv/" + key, "application/json", "1");
        TestPostgres database = TestPostgres.get();
        try (Connection other = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password())) {
            other.setAutoCommit(false);
            try (PreparedStatement lock = other.prepareStatement("SELECT 1 FROM kv_entry WHERE key = ? FOR UPDATE")) {
                lock.setString(1, key);
                lock.executeQuery().close();
            }
            // The server's connections give up waiting for a lock after a second (lock_timeout).
            HttpResponse<String> busy = post("kv/" + key + "/increment");
            assertProblem(busy, 503);
            assertEquals("1", busy.headers().firstValue("Retry-After").orElseThrow());
            other.rollback();
        }
        assertEquals("2", post("kv/" + key + "/increment").body());
    }
}
