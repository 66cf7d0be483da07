package dev.kv.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A profile of the server side: every 10 ms, what each active backend of the benchmark's database is
 * doing according to {@code pg_stat_activity} — on CPU (no wait event) or waiting, and for what.
 * Backends running the cleanup's {@code DELETE} are counted apart from the workers'.
 */
final class WaitEventSampler implements AutoCloseable {

    private static final String SAMPLE =
            """
            SELECT CASE WHEN query LIKE 'DELETE%' THEN 'cleaner' ELSE 'workers' END,
                   COALESCE(wait_event_type || ':' || wait_event, 'CPU')
            FROM pg_stat_activity
            WHERE state = 'active' AND pid <> pg_backend_pid() AND datname = current_database()
            """;

    private final Map<String, Map<String, Long>> samples = new TreeMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private volatile SQLException failure;
    private long ticks;

    WaitEventSampler(BenchSettings settings) {
        thread = new Thread(() -> sample(settings), "wait-event-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sample(BenchSettings settings) {
        try (Connection connection =
                        DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
                PreparedStatement select = connection.prepareStatement(SAMPLE)) {
            while (!stop.get()) {
                try (ResultSet rows = select.executeQuery()) {
                    synchronized (samples) {
                        ticks++;
                        while (rows.next()) {
                            samples.computeIfAbsent(rows.getString(1), who -> new TreeMap<>())
                                    .merge(rows.getString(2), 1L, Long::sum);
                        }
                    }
                }
                Thread.sleep(10);
            }
        } catch (SQLException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Per kind of backend, how many samples found it in each state; and how many samples were taken. */
    record Profile(Map<String, Map<String, Long>> backends, long ticks) {}

    Profile stop() throws InterruptedException {
        stop.set(true);
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("sampling pg_stat_activity failed", failure);
        }
        synchronized (samples) {
            return new Profile(Map.copyOf(samples), ticks);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (thread.isAlive()) {
            stop();
        }
    }
}
