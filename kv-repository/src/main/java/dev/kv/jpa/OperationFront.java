package dev.kv.jpa;

import dev.kv.KeyCollisionException;
import dev.kv.KvConfig;
import dev.kv.KvValidationException;
import dev.kv.jpa.SqlDialect.HashedKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a SQL store does for every operation before any statement runs: checks a key against the
 * limits and hashes it, checks a value and converts it for the value column, reads the clock and
 * computes expiries; and the counters the operations bump. Everything here is argument checking and
 * arithmetic, no SQL, so that a front shared with the memory store can take its place.
 */
final class OperationFront {

    final StoreCounters counters = new StoreCounters();
    private final KvConfig config;
    private final SqlDialect dialect;

    OperationFront(KvConfig config, SqlDialect dialect) {
        this.config = config;
        this.dialect = dialect;
    }

    HashedKey key(String key) {
        config.limits().checkKey(key);
        return new HashedKey(key, config.keyHasher().hash(key.getBytes(StandardCharsets.UTF_8)));
    }

    /** The checked keys of a batch, each once, in the caller's order; two of them with one hash are a collision. */
    List<HashedKey> distinctKeys(Collection<String> keys) {
        if (keys == null) {
            throw new KvValidationException("keys must not be null");
        }
        Map<Long, HashedKey> byHash = new LinkedHashMap<>();
        for (String text : keys) {
            HashedKey k = key(text);
            HashedKey other = byHash.putIfAbsent(k.hash(), k);
            if (other != null && !other.text().equals(k.text())) {
                throw new KeyCollisionException(k.text(), other.text(), k.hash());
            }
        }
        return List.copyOf(byHash.values());
    }

    /** The value as the value column binds it. */
    Object column(byte[] value) {
        return dialect.toColumn(config.limits().checkValue(value));
    }

    /** The clock's time, in microseconds like PostgreSQL's. */
    Instant now() {
        return config.clock().instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The instant expiry is judged at when the clock reads {@code now}. */
    Instant expiryNow(Instant now) {
        return config.cleanupStrategy().expiryNow(now);
    }

    /** For the methods taking a TTL, whose private implementations read {@code null} as "no expiry". */
    Duration requireTtl(Duration ttl) {
        return config.limits().checkTtl(ttl);
    }

    /** When an entry written at {@code now} with {@code ttl} expires; checks that it can be stored. */
    Instant expiry(Instant now, Duration ttl) {
        return config.limits().expiresAt(now, ttl);
    }

    /** {@link #expiry}, or null for no TTL. */
    Instant expiryOrNull(Instant now, Duration ttl) {
        return ttl == null ? null : expiry(now, ttl);
    }
}
