package dev.kv.quarkus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kv.CleanupStrategy;
import dev.kv.KvStore;
import dev.kv.cdi.KvStoreName;
import dev.kv.contract.cdi.InjectedStoreBehaviour;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.hibernate.Version;
import org.junit.jupiter.api.Test;

/**
 * kv inside Quarkus, on its Hibernate ORM 7.2 and Narayana JTA, beyond the contract ({@link
 * KvStoreContractQuarkusTest}): what every container's injected stores do ({@link
 * InjectedStoreBehaviour}, with the Quarkus scheduler as the scheduled cleanup), and a store
 * encrypted by its properties alone.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class KvStoreQuarkusTest extends InjectedStoreBehaviour {

    /** Encrypted by its properties (see application.properties); its table is created by the test. */
    @Inject
    @KvStoreName("secrets")
    KvStore secrets;

    @Inject
    DataSource dataSource;

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }

    @Test
    void runsOnQuarkussHibernate72() {
        assertTrue(Version.getVersionString().startsWith("7.2."), Version.getVersionString());
    }

    @Test
    void aStoreGivenEncryptionKeysByPropertiesKeepsOnlyCiphertextInItsTable() throws Exception {
        KvMigrations.update(dataSource, KvTableDefinition.of(settings.store("secrets")));
        assertEquals(
                "test-2026", settings.store("secrets").encryptor().orElseThrow().currentKeyId());
        assertEquals(CleanupStrategy.ON_READ, settings.store("secrets").cleanupStrategy());
        String key = this.key + ":token";
        secrets.set(key, v("s3cret-value"));
        assertEquals("s3cret-value", s(secrets.get(key).orElseThrow()));
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT value FROM kv_secrets WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next());
                byte[] stored = row.getBytes(1);
                assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("s3cret"));
                assertTrue(stored.length > "s3cret-value".length());
            }
        }
    }
}
