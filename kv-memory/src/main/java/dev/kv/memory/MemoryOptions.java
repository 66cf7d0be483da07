package dev.kv.memory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable options of an in-memory store, beside its {@link dev.kv.KvConfig} (of which it uses
 * the limits, the clock and the value format). Every setting is checked when it is set, with a
 * message naming the setting and the refused value.
 *
 * <pre>{@code
 * MemoryOptions options = MemoryOptions.builder()
 *         .maxEntries(100_000)
 *         .persistence(Persistence.HYBRID, Path.of("data/kv"))
 *         .syncPolicy(SyncPolicy.INTERVAL)
 *         .build();
 * }</pre>
 */
public final class MemoryOptions {

    /** A bound that is not set. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    public static final EvictionPolicy DEFAULT_EVICTION_POLICY = EvictionPolicy.WINDOW_TINY_LFU;
    public static final Duration DEFAULT_CLEANUP_INTERVAL = Duration.ofMinutes(1);
    public static final SyncPolicy DEFAULT_SYNC_POLICY = SyncPolicy.EVERY_WRITE;
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofMinutes(5);

    /** Entries the sampling policies (LRU, LFU, TTL among entries without expiry) compare per eviction. */
    public static final int EVICTION_SAMPLE = 16;

    private static final RemovalListener IGNORE = (key, value, cause) -> {};

    private final long maxEntries;
    private final long maxBytes;
    private final EvictionPolicy evictionPolicy;
    private final Duration cleanupInterval;
    private final Persistence persistence;
    private final Path directory;
    private final SyncPolicy syncPolicy;
    private final Duration syncInterval;
    private final Duration snapshotInterval;
    private final RemovalListener onEviction;
    private final RemovalListener onExpiry;

    private MemoryOptions(Builder builder) {
        this.maxEntries = builder.maxEntries;
        this.maxBytes = builder.maxBytes;
        this.evictionPolicy = builder.evictionPolicy;
        this.cleanupInterval = builder.cleanupInterval;
        this.persistence = builder.persistence;
        this.directory = builder.directory;
        this.syncPolicy = builder.syncPolicy;
        this.syncInterval = builder.syncInterval;
        this.snapshotInterval = builder.snapshotInterval;
        this.onEviction = builder.onEviction;
        this.onExpiry = builder.onExpiry;
    }

    /** Unbounded, no persistence, a cleaner every minute. */
    public static MemoryOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The most entries held, or {@link #UNBOUNDED}. */
    public long maxEntries() {
        return maxEntries;
    }

    /** The most bytes of values held, or {@link #UNBOUNDED}. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Whether either bound is set. */
    public boolean bounded() {
        return maxEntries != UNBOUNDED || maxBytes != UNBOUNDED;
    }

    /** What makes room when a bound is reached. */
    public EvictionPolicy evictionPolicy() {
        return evictionPolicy;
    }

    /** How often the background cleaner removes expired entries; zero when there is none. */
    public Duration cleanupInterval() {
        return cleanupInterval;
    }

    /** How entries outlive the store. */
    public Persistence persistence() {
        return persistence;
    }

    /** The data directory; null when persistence is NONE. */
    public Path directory() {
        return directory;
    }

    /** When the log is forced to the disk (WAL and HYBRID). */
    public SyncPolicy syncPolicy() {
        return syncPolicy;
    }

    /** The interval of {@link SyncPolicy#INTERVAL}. */
    public Duration syncInterval() {
        return syncInterval;
    }

    /** How often SNAPSHOT and HYBRID write a snapshot. */
    public Duration snapshotInterval() {
        return snapshotInterval;
    }

    /** Told of evicted entries. */
    public RemovalListener onEviction() {
        return onEviction;
    }

    /** Told of expired entries when they are removed. */
    public RemovalListener onExpiry() {
        return onExpiry;
    }

    @Override
    public String toString() {
        return "MemoryOptions[maxEntries=" + bound(maxEntries) + ", maxBytes=" + bound(maxBytes) + ", evictionPolicy="
                + evictionPolicy + ", cleanupInterval=" + cleanupInterval + ", persistence=" + persistence
                + (persistence == Persistence.NONE ? "" : ", directory=" + directory)
                + (persistence.logs() ? ", syncPolicy=" + syncPolicy + ", syncInterval=" + syncInterval : "")
                + (persistence.snapshots() ? ", snapshotInterval=" + snapshotInterval : "") + "]";
    }

    private static String bound(long bound) {
        return bound == UNBOUNDED ? "unbounded" : Long.toString(bound);
    }

    /** Builds {@link MemoryOptions}; each setter checks its argument at once. */
    public static final class Builder {

        private long maxEntries = UNBOUNDED;
        private long maxBytes = UNBOUNDED;
        private EvictionPolicy evictionPolicy = DEFAULT_EVICTION_POLICY;
        private Duration cleanupInterval = DEFAULT_CLEANUP_INTERVAL;
        private Persistence persistence = Persistence.NONE;
        private Path directory;
        private SyncPolicy syncPolicy = DEFAULT_SYNC_POLICY;
        private Duration syncInterval = DEFAULT_SYNC_INTERVAL;
        private Duration snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
        private RemovalListener onEviction = IGNORE;
        private RemovalListener onExpiry = IGNORE;

        private Builder() {}

        /** The most entries held, expired ones not yet removed included (default unbounded). */
        public Builder maxEntries(long maxEntries) {
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries must be positive, but was " + maxEntries);
            }
            this.maxEntries = maxEntries;
            return this;
        }

        /**
         * The most bytes of values held (default unbounded). Under {@link
         * EvictionPolicy#WINDOW_TINY_LFU} with both bounds set, every entry counts as at least {@code
         * maxBytes / maxEntries} bytes, so that one weight keeps both bounds.
         */
        public Builder maxBytes(long maxBytes) {
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be positive, but was " + maxBytes);
            }
            this.maxBytes = maxBytes;
            return this;
        }

        /** What makes room when a bound is reached (default {@link EvictionPolicy#WINDOW_TINY_LFU}). */
        public Builder evictionPolicy(EvictionPolicy evictionPolicy) {
            this.evictionPolicy = Objects.requireNonNull(evictionPolicy, "evictionPolicy must not be null");
            return this;
        }

        /**
         * How often a background thread removes expired entries (default one minute); {@link
         * Duration#ZERO} for no such thread, leaving it to {@link dev.kv.KvStore#cleanupExpired()}.
         * Expired entries are invisible either way. {@link dev.kv.KvConfig#cleanupInterval()}, when
         * set, takes precedence, so one setting serves every backend.
         */
        public Builder cleanupInterval(Duration cleanupInterval) {
            this.cleanupInterval = nonNegative("cleanupInterval", cleanupInterval);
            return this;
        }

        /** Keep the entries in {@code directory}, created if missing, as {@code persistence} says (default NONE). */
        public Builder persistence(Persistence persistence, Path directory) {
            Objects.requireNonNull(persistence, "persistence must not be null");
            if (persistence != Persistence.NONE && directory == null) {
                throw new IllegalArgumentException("persistence " + persistence + " needs a directory");
            }
            this.persistence = persistence;
            this.directory = persistence == Persistence.NONE ? null : directory.toAbsolutePath();
            return this;
        }

        /** When the log is forced to the disk (default {@link SyncPolicy#EVERY_WRITE}). */
        public Builder syncPolicy(SyncPolicy syncPolicy) {
            this.syncPolicy = Objects.requireNonNull(syncPolicy, "syncPolicy must not be null");
            return this;
        }

        /** The interval of {@link SyncPolicy#INTERVAL} (default one second). */
        public Builder syncInterval(Duration syncInterval) {
            this.syncInterval = positive("syncInterval", syncInterval);
            return this;
        }

        /**
         * How often SNAPSHOT and HYBRID write a snapshot (default five minutes): each starts this long
         * after the previous one started, or as soon as it finished if it took longer. In SNAPSHOT
         * mode a crash loses the writes made since the last finished snapshot started reading the
         * entries: up to this interval plus the time one snapshot takes.
         */
        public Builder snapshotInterval(Duration snapshotInterval) {
            this.snapshotInterval = positive("snapshotInterval", snapshotInterval);
            return this;
        }

        /** Told of every entry evicted to stay within the bounds. */
        public Builder onEviction(RemovalListener onEviction) {
            this.onEviction = Objects.requireNonNull(onEviction, "onEviction must not be null");
            return this;
        }

        /** Told of every expired entry when it is removed. */
        public Builder onExpiry(RemovalListener onExpiry) {
            this.onExpiry = Objects.requireNonNull(onExpiry, "onExpiry must not be null");
            return this;
        }

        public MemoryOptions build() {
            return new MemoryOptions(this);
        }

        private static Duration positive(String name, Duration duration) {
            if (nonNegative(name, duration).isZero()) {
                throw new IllegalArgumentException(name + " must be positive, but was " + duration);
            }
            return duration;
        }

        private static Duration nonNegative(String name, Duration duration) {
            Objects.requireNonNull(duration, name + " must not be null");
            if (duration.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, but was " + duration);
            }
            return duration;
        }
    }
}
