package dev.kv.contract.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST API of kv-rest over HTTP, as a client sees it, the same in every container. The
 * application is configured for tests: a value limit of 64 KiB, and a rate limiter of three
 * requests per hour. A container's test class supplies where the API is served.
 */
public abstract class RestApiBehaviour {

    private final HttpClient http = HttpClient.newHttpClient();
    protected String key;

    /** The address the API's paths ({@code kv/...}, {@code rate-limit/...}) are resolved against, ending in "/". */
    protected abstract URI api();

    @BeforeEach
    void newKey() {
        key = "rest-" + UUID.randomUUID();
    }

    protected HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(api().resolve(path));
    }

    protected HttpResponse<String> put(String path, String type, String body, String... headers) throws Exception {
        HttpRequest.Builder request =
                request(path).header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    protected HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET());
    }

    protected HttpResponse<String> post(String path) throws Exception {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    protected HttpResponse<String> delete(String path, String... headers) throws Exception {
        HttpRequest.Builder request = request(path).DELETE();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    protected static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":" + status);
    }

    @Test
    void putThenGetAJsonDocumentWithItsVersionAsETag() throws Exception {
        HttpResponse<String> created = put("kv/" + key, "application/json", "{\"cart\": [1, 2]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");

        HttpResponse<String> read = get("kv/" + key);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("{\"cart\": [1, 2]}");
        assertThat(read.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");

        HttpResponse<String> replaced = put("kv/" + key, "application/json", "2");
        assertThat(replaced.statusCode()).isEqualTo(204);
        assertThat(replaced.headers().firstValue("ETag")).hasValue("\"2\"");
    }

    @Test
    void binaryBodiesKeepTheirContentTypeAndTtlComesFromTheHeaderOrTheQuery() throws Exception {
        assertThat(put("kv/" + key, "application/octet-stream", "raw bytes", "Kv-Ttl", "3600")
                        .statusCode())
                .isEqualTo(201);
        assertThat(put("kv/" + key + "-q?ttl=PT1H", "application/octet-stream", "raw bytes")
                        .statusCode())
                .isEqualTo(201);
        for (String path : new String[] {"kv/" + key, "kv/" + key + "-q"}) {
            HttpResponse<String> read = get(path);
            assertThat(read.body()).isEqualTo("raw bytes");
            assertThat(read.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
            assertThat(read.headers().firstValue("Kv-Expires-At")).isPresent();
        }
    }

    @Test
    void ifMatchAppliesAWriteOnlyToTheGivenVersion() throws Exception {
        put("kv/" + key, "application/json", "1");
        assertProblem(put("kv/" + key, "application/json", "2", "If-Match", "\"7\""), 412);
        assertThat(get("kv/" + key).body()).isEqualTo("1");
        HttpResponse<String> matched = put("kv/" + key, "application/json", "2", "If-Match", "\"1\"");
        assertThat(matched.statusCode()).as(matched.body()).isEqualTo(204);
        assertThat(get("kv/" + key).body()).isEqualTo("2");
        assertProblem(put("kv/" + key, "application/json", "3", "If-None-Match", "*"), 412);
        assertProblem(delete("kv/" + key, "If-Match", "\"1\""), 412);
        assertThat(delete("kv/" + key, "If-Match", "\"2\"").statusCode()).isEqualTo(204);
    }

    @Test
    void deleteThenGetIsNotFound() throws Exception {
        put("kv/" + key, "application/json", "true");
        assertThat(delete("kv/" + key).statusCode()).isEqualTo(204);
        assertProblem(get("kv/" + key), 404);
        assertProblem(delete("kv/" + key), 404);
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
        assertThat(get("kv?prefix=" + key + ":&limit=3").body())
                .isEqualTo("{\"keys\":[\"" + key + ":a\",\"" + key + ":b\",\"" + key + ":c\"],\"next\":\"" + key
                        + ":c\"}");
        assertThat(get("kv?prefix=" + key + ":&limit=3&after=" + key + ":c").body())
                .isEqualTo("{\"keys\":[\"" + key + ":d\"],\"next\":null}");
    }

    @Test
    void incrementIsAtomicAndRefusesNonIntegers() throws Exception {
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> response = post("kv/" + key + "/increment");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(String.valueOf(i));
        }
        assertThat(post("kv/" + key + "/increment?by=10").body()).isEqualTo("13");
        put("kv/" + key + "-text", "application/json", "\"text\"");
        assertProblem(post("kv/" + key + "-text/increment"), 409);
    }

    @Test
    void theRateLimiterAllowsThreeRequestsPerWindowThenAnswers429() throws Exception {
        for (int i = 2; i >= 0; i--) {
            HttpResponse<String> allowed = post("rate-limit/" + key);
            assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
            assertThat(allowed.body()).isEqualTo("{\"remaining\":" + i + "}");
        }
        HttpResponse<String> refused = post("rate-limit/" + key);
        assertProblem(refused, 429);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .isPositive();
    }
}
