package dev.kv.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kv.KvStore;
import dev.kv.cdi.ExpiryCleaner;
import dev.kv.cdi.KvSettings;
import dev.kv.cdi.KvStoreName;
import dev.kv.migrations.KvMigrations;
import dev.kv.migrations.KvTableDefinition;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The EJB timer removes expired entries, and concurrent cleaners share the work without waiting. */
@ExtendWith(ArquillianExtension.class)
class ExpiryCleanupIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.war(ExpiryCleanupIT.class, TransactionalWork.class);
    }

    @Inject
    KvStore json;

    /** Not in kv.cleanup.stores: the timer leaves it alone, so the test counts every deletion. */
    @Inject
    @KvStoreName("cleanuprace")
    KvStore race;

    @Inject
    KvSettings settings;

    @Inject
    ExpiryCleaner cleaner;

    @Inject
    TransactionalWork work;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService executor;

    @Resource(lookup = "java:jboss/datasources/KvDS")
    DataSource dataSource;

    @Test
    void theTimerDeletesExpiredEntries() throws Exception {
        String key = "timer:" + UUID.randomUUID();
        json.set(key, "1".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(1));
        json.set(key + ":live", "1".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (count("SELECT count(*) FROM kv_entry WHERE key = '" + key + "'") > 0) {
            assertTrue(Instant.now().isBefore(deadline), "the timer (every second) did not delete the expired row");
            Thread.onSpinWait();
        }
        assertTrue(json.exists(key + ":live"));
    }

    @Test
    void aSecondCleanerSkipsTheRowsTheFirstHoldsInsteadOfWaiting() throws Exception {
        KvMigrations.update(dataSource, KvTableDefinition.of(settings.store("cleanuprace")));
        execute("DELETE FROM kv_cleanuprace");
        writeExpired("first", 230);

        CountDownLatch cleaned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Long> first = executor.submit(() -> work.inTransaction(() -> {
            long deleted = race.cleanupExpired();
            cleaned.countDown();
            release.await(30, TimeUnit.SECONDS);
            return deleted;
        }));
        assertTrue(cleaned.await(30, TimeUnit.SECONDS));
        writeExpired("second", 120);

        long second = executor.submit(() -> cleaner.cleanup("cleanuprace")).get(30, TimeUnit.SECONDS);
        assertEquals(120, second, "the second cleaner deleted only the rows the first did not hold, without waiting");
        release.countDown();
        assertEquals(230L, first.get(30, TimeUnit.SECONDS));
        assertEquals(0, count("SELECT count(*) FROM kv_cleanuprace"));
    }

    private void writeExpired(String prefix, int count) throws Exception {
        work.inTransaction(() -> {
            for (int i = 0; i < count; i++) {
                race.set(prefix + ":" + i, "1".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(1));
            }
            return null;
        });
        Instant expired = Instant.now().plusMillis(5);
        while (Instant.now().isBefore(expired)) {
            Thread.onSpinWait();
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql);
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.execute();
        }
    }
}
