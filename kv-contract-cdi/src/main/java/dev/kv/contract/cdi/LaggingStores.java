package dev.kv.contract.cdi;

import dev.kv.KvStore;
import dev.kv.cdi.KvSettings;
import dev.kv.cdi.KvStores;
import java.time.Clock;
import java.time.Duration;

/**
 * Stores whose clock runs behind the real one: what they write with a short time to live has already
 * expired for everyone else, so a test of cleanup never waits for time to pass.
 */
public final class LaggingStores {

    /** How far behind the real clock their clock runs. */
    public static final Duration LAG = Duration.ofHours(1);

    private LaggingStores() {}

    /** The store {@code name}, as configured for the application, but with a clock {@link #LAG} behind. */
    public static KvStore anHourBehind(KvStores stores, KvSettings settings, String name) {
        return stores.open(
                name,
                settings.store(name).toBuilder()
                        .clock(Clock.offset(Clock.systemUTC(), LAG.negated()))
                        .build());
    }
}
