package dev.kv.wildfly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.contract.cdi.RestApiBehaviour;
import dev.kv.testing.TestPostgres;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The REST API over HTTP, as a client sees it ({@link RestApiBehaviour}), and what only WildFly's
 * setup shows: the readiness check on the management port, and a 503 when the database cannot
 * serve in time.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KvRestApiIT extends RestApiBehaviour {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(Deployments.Setup.HTTP);
    }

    @ArquillianResource
    URL base;

    @Override
    protected URI api() {
        return URI.create(base.toString()).resolve("api/");
    }

    @Test
    void theReadinessCheckReportsTheStores() throws Exception {
        HttpResponse<String> ready =
                send(HttpRequest.newBuilder(URI.create("http://" + base.getHost() + ":9990/health/ready")));
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("\"name\":\"kv\"");
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
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");
            other.rollback();
        }
        assertThat(post("kv/" + key + "/increment").body()).isEqualTo("2");
    }
}
