package dev.kv.cdi;

import dev.kv.KvConfig;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the stores' configuration comes from. The default bean reads MicroProfile Config ({@code
 * kv.stores.<name>.table}, ...; see {@link dev.kv.cdi.config.MicroProfileKvSettings}). Without
 * MicroProfile Config, or to configure in code, declare a replacement:
 *
 * <pre>{@code
 * @Alternative @Priority(Interceptor.Priority.APPLICATION) @ApplicationScoped
 * class MyKvSettings implements KvSettings {
 *     public KvConfig store(String name) { return KvConfig.builder().table("kv_" + name).build(); }
 *     public Cleanup cleanup() { return Cleanup.DEFAULT; }
 * }
 * }</pre>
 */
public interface KvSettings {

    /** The name of the store injected without qualifier. */
    String DEFAULT_STORE = "default";

    /** The configuration of the store named {@code name}; called once per name. */
    KvConfig store(String name);

    /** How expired entries are removed. */
    Cleanup cleanup();

    /**
     * The expiry cleanup.
     *
     * @param enabled whether the container schedules it (an EJB timer on Jakarta EE)
     * @param interval the time between two runs
     * @param stores the stores it cleans; empty means every store the application has used
     */
    record Cleanup(boolean enabled, Duration interval, List<String> stores) {

        public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
        public static final Cleanup DEFAULT = new Cleanup(true, DEFAULT_INTERVAL, List.of());

        public Cleanup {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("kv.cleanup.interval must be positive, but was " + interval);
            }
            stores = List.copyOf(stores);
        }
    }
}
