package dev.kv.quarkus;

import dev.kv.testing.TestPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Feeds the tests' PostgreSQL ({@link TestPostgres}: KV_TEST_JDBC_URL, or an embedded server that
 * stops with the JVM) into the datasource configuration. No Dev Services: they need Docker.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestPostgres postgres = TestPostgres.get();
        return Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.datasource.username", postgres.user(),
                "quarkus.datasource.password", postgres.password());
    }

    @Override
    public void stop() {
        // The server, if embedded, stops with the JVM.
    }
}
