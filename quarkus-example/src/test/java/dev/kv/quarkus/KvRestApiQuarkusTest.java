package dev.kv.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.contract.cdi.RestApiBehaviour;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The same REST API as the WildFly example ({@link RestApiBehaviour}), served by Quarkus REST from
 * kv-rest, with Quarkus's readiness check and Micrometer metrics.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class KvRestApiQuarkusTest extends RestApiBehaviour {

    @TestHTTPResource("/")
    URL base;

    @Override
    protected URI api() {
        return URI.create(base.toString()).resolve("api/");
    }

    @Test
    void theReadinessCheckReportsTheStores() throws Exception {
        HttpResponse<String> ready = send(request("/q/health/ready").GET());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"kv\"");
    }

    @Test
    void storeOperationsAreExportedAsMetricsWithHitsAndMisses() throws Exception {
        put("kv/" + key, "application/json", "1");
        get("kv/" + key);
        get("kv/" + key + "-absent");
        assertThat(send(request("/q/metrics").GET()).body())
                .contains(
                        "kv_operations_seconds_count{operation=\"getEntry\",outcome=\"hit\",store=\"default\"}",
                        "kv_operations_seconds_count{operation=\"getEntry\",outcome=\"miss\",store=\"blobs\"}",
                        "kv_operations_seconds_count{operation=\"set\",outcome=\"ok\",store=\"default\"}");
    }
}
