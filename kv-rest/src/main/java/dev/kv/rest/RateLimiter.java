package dev.kv.rest;

import dev.kv.KvStore;
import dev.kv.cdi.KvStoreName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A fixed-window rate limiter shared by every instance of the application: a counter per client and
 * window in the {@code ratelimits} store, incremented with {@link KvStore#update} (so no increment
 * is lost between instances) and expiring with its window (so the cleanup removes old windows).
 *
 * <p>Configured with {@code kv.example.rate-limit.requests} (default 10) per {@code
 * kv.example.rate-limit.window} (ISO-8601, default {@code PT1M}).
 */
@ApplicationScoped
public class RateLimiter {

    /** The verdict on one request. */
    public record Decision(boolean allowed, long remaining, Duration retryAfter) {}

    private final KvStore counters;
    private final long limit;
    private final Duration window;
    private final Clock clock;

    @Inject
    public RateLimiter(@KvStoreName("ratelimits") KvStore counters) {
        this(
                counters,
                ConfigProvider.getConfig()
                        .getOptionalValue("kv.example.rate-limit.requests", Long.class)
                        .orElse(10L),
                ConfigProvider.getConfig()
                        .getOptionalValue("kv.example.rate-limit.window", String.class)
                        .map(Duration::parse)
                        .orElse(Duration.ofMinutes(1)),
                Clock.systemUTC());
    }

    RateLimiter(KvStore counters, long limit, Duration window, Clock clock) {
        this.counters = counters;
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        if (counters != null && (limit < 1 || window.isNegative() || window.isZero())) {
            throw new IllegalArgumentException("rate limit must be positive, but was " + limit + " per " + window);
        }
    }

    protected RateLimiter() {
        this(null, 1, Duration.ofSeconds(1), Clock.systemUTC());
    }

    /** Counts one request of {@code client} and tells whether it is within the limit. */
    public Decision acquire(String client) {
        Objects.requireNonNull(client, "client");
        Instant now = clock.instant();
        long windowMillis = window.toMillis();
        long windowStart = now.toEpochMilli() / windowMillis * windowMillis;
        Duration left = Duration.ofMillis(windowStart + windowMillis - now.toEpochMilli());
        String key = "rate:" + client + ":" + windowStart;
        long count = counters.update(key, left.isZero() ? Duration.ofMillis(1) : left, value -> {
                    long current = value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.UTF_8));
                    return Long.toString(current + 1).getBytes(StandardCharsets.UTF_8);
                })
                .map(value -> Long.parseLong(new String(value, StandardCharsets.UTF_8)))
                .orElseThrow();
        return new Decision(count <= limit, Math.max(0, limit - count), left);
    }
}
