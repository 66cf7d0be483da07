package dev.kv;

import dev.kv.internal.SqlIdentifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The immutable configuration of one store. Every setting is checked when it is set, with a message
 * naming the setting and the refused value; {@link #toString()} prints the effective configuration.
 *
 * <pre>{@code
 * KvConfig config = KvConfig.builder()
 *         .table("sessions")
 *         .format(ValueFormat.BYTEA)
 *         .unlogged(true)
 *         .build();
 * }</pre>
 */
public final class KvConfig {

    public static final String DEFAULT_SCHEMA = "public";
    public static final String DEFAULT_TABLE = "kv_entry";
    public static final ValueFormat DEFAULT_FORMAT = ValueFormat.JSONB;
    public static final int DEFAULT_CLEANUP_BATCH_SIZE = 1_000;
    /** Pause between two cleanup batches: a batch of 1000 rows takes about as long on a small server. */
    public static final Duration DEFAULT_CLEANUP_PAUSE = Duration.ofMillis(20);

    public static final String DEFAULT_APPLICATION_NAME = "kv";
    /**
     * Expired entries stay stored until cleaned up. Unlike the seed's default (delete on read), so
     * that a read inside the caller's JTA transaction neither writes nor takes a row lock.
     */
    public static final CleanupStrategy DEFAULT_CLEANUP_STRATEGY = CleanupStrategy.MANUAL;

    /** How long a statement waits for a row lock another transaction holds before it fails. */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(10);
    /** How long one statement may run; a scan of a whole large table may need more. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    /** How long {@code update} and {@code inTransaction} may hold their transaction, and its row locks. */
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(30);
    /** Connections of a pool the store creates: HikariCP's default. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /** How long an operation waits for a connection of a pool the store creates (HikariCP's default is 30 s). */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration LONGEST_TIMEOUT = Duration.ofDays(1);
    private static final Duration SHORTEST_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    private static final int LARGEST_POOL_SIZE = 1_000;

    private final String schema;
    private final String table;
    private final ValueFormat format;
    private final boolean unlogged;
    private final boolean prefixIndex;
    private final boolean changeStream;
    private final Limits limits;
    private final int cleanupBatchSize;
    private final Duration cleanupInterval;
    private final Duration cleanupPause;
    private final CleanupStrategy cleanupStrategy;
    private final Clock clock;
    private final KeyHasher keyHasher;
    private final String applicationName;
    private final boolean runMigrations;
    private final boolean validateSchema;
    private final Encryptor encryptor;
    private final Expiry defaultExpiry;
    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final Duration transactionTimeout;
    private final int poolSize;
    private final Duration connectionTimeout;
    private final Consumer<DataLossEvent> onDataLoss;

    private KvConfig(Builder builder) {
        this.schema = builder.schema;
        this.table = builder.table;
        this.format = builder.format;
        this.unlogged = builder.unlogged;
        this.prefixIndex = builder.prefixIndex;
        this.changeStream = builder.changeStream;
        this.limits = builder.limits;
        this.cleanupBatchSize = builder.cleanupBatchSize;
        this.cleanupInterval = builder.cleanupInterval;
        this.cleanupPause = builder.cleanupPause;
        this.cleanupStrategy = builder.cleanupStrategy;
        this.clock = builder.clock;
        this.keyHasher = builder.keyHasher;
        this.applicationName = builder.applicationName;
        this.runMigrations = builder.runMigrations;
        this.validateSchema = builder.validateSchema;
        this.encryptor = builder.encryptor;
        this.defaultExpiry = builder.defaultExpiry;
        this.lockTimeout = builder.lockTimeout;
        this.statementTimeout = builder.statementTimeout;
        this.transactionTimeout = builder.transactionTimeout;
        this.poolSize = builder.poolSize;
        this.connectionTimeout = builder.connectionTimeout;
        this.onDataLoss = builder.onDataLoss;
    }

    /** A configuration with every default: table {@code public.kv_entry}, JSONB values, logged. */
    public static KvConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's settings, to derive another from it. */
    public Builder toBuilder() {
        return new Builder()
                .schema(schema)
                .table(table)
                .format(format)
                .unlogged(unlogged)
                .prefixIndex(prefixIndex)
                .changeStream(changeStream)
                .limits(limits)
                .cleanupBatchSize(cleanupBatchSize)
                .cleanupInterval(cleanupInterval)
                .cleanupPause(cleanupPause)
                .cleanupStrategy(cleanupStrategy)
                .clock(clock)
                .keyHasher(keyHasher)
                .applicationName(applicationName)
                .runMigrations(runMigrations)
                .validateSchema(validateSchema)
                .encryptor(encryptor)
                .lockTimeout(lockTimeout)
                .statementTimeout(statementTimeout)
                .transactionTimeout(transactionTimeout)
                .poolSize(poolSize)
                .connectionTimeout(connectionTimeout)
                .onDataLoss(onDataLoss)
                .defaultExpiry(defaultExpiry);
    }

    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }

    public ValueFormat format() {
        return format;
    }

    public boolean unlogged() {
        return unlogged;
    }

    public boolean prefixIndex() {
        return prefixIndex;
    }

    public boolean changeStream() {
        return changeStream;
    }

    public Limits limits() {
        return limits;
    }

    public int cleanupBatchSize() {
        return cleanupBatchSize;
    }

    /** How often a Java SE store deletes expired entries in the background; empty when only on demand. */
    public Optional<Duration> cleanupInterval() {
        return Optional.ofNullable(cleanupInterval);
    }

    /** How long a PostgreSQL store's cleanup waits between two full batches; zero for none. */
    public Duration cleanupPause() {
        return cleanupPause;
    }

    /** When expired entries are deleted, or whether expiry applies at all. */
    public CleanupStrategy cleanupStrategy() {
        return cleanupStrategy;
    }

    public Clock clock() {
        return clock;
    }

    public KeyHasher keyHasher() {
        return keyHasher;
    }

    public String applicationName() {
        return applicationName;
    }

    public boolean runMigrations() {
        return runMigrations;
    }

    public boolean validateSchema() {
        return validateSchema;
    }

    /** What encrypts every value of a store opened with this configuration; empty when values are stored as given. */
    public Optional<Encryptor> encryptor() {
        return Optional.ofNullable(encryptor);
    }

    /**
     * How long a statement of a store waits for a lock held by another transaction before it fails
     * with a retryable {@link KvTimeoutException}; zero waits for ever. PostgreSQL's {@code
     * lock_timeout}, set on the connections of a pool the store creates.
     */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /**
     * How long one statement may run before it is cancelled with a {@link KvTimeoutException} that is
     * not retryable; zero for no bound. PostgreSQL's {@code statement_timeout}, set on the connections
     * of a pool the store creates.
     */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /**
     * How long {@code update} (its function included) and {@code inTransaction} may hold their
     * transaction in a Java SE store; zero for no bound. Past it the transaction is rolled back, its
     * row locks released, and the caller gets a {@link KvTimeoutException}. On a pool the store creates
     * the server also ends a session idle in its transaction that long ({@code
     * idle_in_transaction_session_timeout}), so a function that never returns does not keep its lock.
     */
    public Duration transactionTimeout() {
        return transactionTimeout;
    }

    /** The most connections a pool the store creates opens. */
    public int poolSize() {
        return poolSize;
    }

    /**
     * How long an operation waits for a free connection of a pool the store creates before it fails
     * with a retryable {@link KvTimeoutException}.
     */
    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    /** Told when a store finds its UNLOGGED table emptied by a database crash; by default nothing beyond the log line. */
    public Consumer<DataLossEvent> onDataLoss() {
        return onDataLoss;
    }

    /**
     * The expiry of an entry written without one ({@code set(key, value)}, {@code setIfAbsent}, {@code setMany},
     * a put of {@code apply}, and an entry that {@code update}, {@code increment}, {@code setIfVersion}, {@code
     * compareAndSwap} or {@code getAndSet} creates); {@link Expiry#never()} by default.
     */
    public Expiry defaultExpiry() {
        return defaultExpiry;
    }

    @Override
    public String toString() {
        return "KvConfig[schema=" + schema + ", table=" + table + ", format=" + format + ", unlogged=" + unlogged
                + ", prefixIndex=" + prefixIndex + ", changeStream=" + changeStream
                + ", maxKeyBytes=" + limits.maxKeyBytes() + ", maxValueBytes=" + limits.maxValueBytes()
                + ", cleanupBatchSize=" + cleanupBatchSize
                + ", cleanupInterval=" + (cleanupInterval == null ? "none" : cleanupInterval) + ", cleanupPause="
                + cleanupPause
                + ", cleanupStrategy=" + cleanupStrategy + ", clock=" + clock
                + ", keyHasher=" + keyHasher
                + ", applicationName=" + applicationName + ", runMigrations=" + runMigrations
                + ", validateSchema=" + validateSchema
                + ", lockTimeout=" + lockTimeout + ", statementTimeout=" + statementTimeout
                + ", transactionTimeout=" + transactionTimeout + ", poolSize=" + poolSize
                + ", connectionTimeout=" + connectionTimeout
                + ", encryptor="
                + (encryptor == null
                        ? "none"
                        : encryptor.getClass().getSimpleName() + "[currentKeyId=" + encryptor.currentKeyId() + "]")
                + ", defaultExpiry=" + defaultExpiry
                + "]";
    }

    /** Builds a {@link KvConfig}; each setter checks its argument at once. */
    public static final class Builder {

        private String schema = DEFAULT_SCHEMA;
        private String table = DEFAULT_TABLE;
        private ValueFormat format = DEFAULT_FORMAT;
        private boolean unlogged;
        private boolean prefixIndex = true;
        private boolean changeStream;
        private Limits limits = Limits.DEFAULT;
        private int cleanupBatchSize = DEFAULT_CLEANUP_BATCH_SIZE;
        private Duration cleanupInterval;
        private Duration cleanupPause = DEFAULT_CLEANUP_PAUSE;
        private CleanupStrategy cleanupStrategy = DEFAULT_CLEANUP_STRATEGY;
        private Clock clock = Clock.systemUTC();
        private KeyHasher keyHasher = KeyHasher.sha256();
        private String applicationName = DEFAULT_APPLICATION_NAME;
        private boolean runMigrations;
        private boolean validateSchema = true;
        private Encryptor encryptor;
        private Expiry defaultExpiry = Expiry.never();
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration transactionTimeout = DEFAULT_TRANSACTION_TIMEOUT;
        private int poolSize = DEFAULT_POOL_SIZE;
        private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
        private Consumer<DataLossEvent> onDataLoss = event -> {};

        private Builder() {}

        /**
         * The schema of the table (default {@value KvConfig#DEFAULT_SCHEMA}).
         *
         * @throws dev.kv.InvalidIdentifierException unless 1 to 48 characters of
         *     {@code a-z}, {@code 0-9} and {@code _}, not starting with a digit
         */
        public Builder schema(String schema) {
            this.schema = SqlIdentifier.check("schema", schema);
            return this;
        }

        /**
         * The table (default {@value KvConfig#DEFAULT_TABLE}); the same rule as {@link #schema}.
         *
         * @throws dev.kv.InvalidIdentifierException if it is not a safe identifier
         */
        public Builder table(String table) {
            this.table = SqlIdentifier.check("table", table);
            return this;
        }

        /** How values are stored (default {@link ValueFormat#JSONB}). */
        public Builder format(ValueFormat format) {
            this.format = Objects.requireNonNull(format, "format must not be null");
            return this;
        }

        /**
         * Whether the migrations create an UNLOGGED table: writes skip the write-ahead log and are
         * faster, but the table is emptied after a crash and not replicated. Default false.
         */
        public Builder unlogged(boolean unlogged) {
            this.unlogged = unlogged;
            return this;
        }

        /**
         * Whether the migrations create the B-tree on {@code key} that serves prefix, range, glob and
         * ordered scans (default true). Without it each write maintains one index less, and every
         * scan reads the whole table: for stores that only ever get and set single keys.
         */
        public Builder prefixIndex(boolean prefixIndex) {
            this.prefixIndex = prefixIndex;
            return this;
        }

        /**
         * Whether the store keeps a {@link ChangeStream} of its changes (default false). In PostgreSQL
         * the migrations then create the stream table, its consumer table and the trigger that fills
         * it; each committing transaction that writes then appends its changes one at a time (see
         * README, "Change stream"). Off, writes pay nothing and {@link KvStore#changes()} refuses.
         */
        public Builder changeStream(boolean changeStream) {
            this.changeStream = changeStream;
            return this;
        }

        /** The largest key and value accepted (default 1 KiB keys, 1 MiB values). */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits must not be null");
            return this;
        }

        /** Rows deleted per transaction by {@link KvStore#cleanupExpired()} (default 1000). */
        public Builder cleanupBatchSize(int cleanupBatchSize) {
            if (cleanupBatchSize < 1 || cleanupBatchSize > 100_000) {
                throw new IllegalArgumentException(
                        "cleanupBatchSize must be between 1 and 100000, but was " + cleanupBatchSize);
            }
            this.cleanupBatchSize = cleanupBatchSize;
            return this;
        }

        /**
         * Has a Java SE store opened by {@code JpaKvStores.open} run {@link KvStore#cleanupExpired()}
         * every {@code interval} on a daemon thread of its own until it is closed; {@code null} (the
         * default) leaves cleanup to the application. Inside a container the platform's scheduler does this.
         */
        public Builder cleanupInterval(Duration interval) {
            if (interval != null && (interval.isNegative() || interval.compareTo(Duration.ofMillis(10)) < 0)) {
                throw new IllegalArgumentException("cleanupInterval must be at least 10ms, but was " + interval);
            }
            this.cleanupInterval = interval;
            return this;
        }

        /**
         * How long {@link KvStore#cleanupExpired()} of a PostgreSQL store waits between two full
         * batches (default {@link #DEFAULT_CLEANUP_PAUSE}, 20 ms; zero for none). A pause leaves
         * the database's CPU to other sessions while a large backlog of expired rows is deleted, as
         * PostgreSQL's {@code vacuum_cost_delay} does for vacuum; the cleanup then takes longer. A
         * cleanup that fits one batch never pauses. An interrupt during a pause ends the cleanup
         * early.
         *
         * @throws IllegalArgumentException if null, negative or longer than a minute
         */
        public Builder cleanupPause(Duration pause) {
            if (pause == null || pause.isNegative() || pause.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException(
                        "cleanupPause must be between zero and one minute, but was " + pause);
            }
            this.cleanupPause = pause;
            return this;
        }

        /**
         * When expired entries are deleted: on the read that meets them, only by {@link
         * KvStore#cleanupExpired()} (the default, {@link CleanupStrategy#MANUAL}), or never, expiry
         * being ignored ({@link CleanupStrategy#DISABLED}).
         */
        public Builder cleanupStrategy(CleanupStrategy cleanupStrategy) {
            this.cleanupStrategy = Objects.requireNonNull(cleanupStrategy, "cleanupStrategy must not be null");
            return this;
        }

        /**
         * The source of the current time, for expiry and timestamps (default the UTC system clock).
         * Tests inject a clock they advance instead of sleeping.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /** The hash of keys to row ids (default {@link KeyHasher#sha256()}). */
        public Builder keyHasher(KeyHasher keyHasher) {
            this.keyHasher = Objects.requireNonNull(keyHasher, "keyHasher must not be null");
            return this;
        }

        /**
         * The {@code application_name} of the connections of a pool the store creates, shown in
         * {@code pg_stat_activity} (default {@value KvConfig#DEFAULT_APPLICATION_NAME}).
         */
        public Builder applicationName(String applicationName) {
            Objects.requireNonNull(applicationName, "applicationName must not be null");
            if (applicationName.isEmpty()
                    || applicationName.length() > 63
                    || !applicationName.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException(
                        "applicationName must be 1 to 63 printable ASCII characters, but was \"" + applicationName
                                + "\"");
            }
            this.applicationName = applicationName;
            return this;
        }

        /** Whether opening a store applies the Liquibase migrations for its table first (default false). */
        public Builder runMigrations(boolean runMigrations) {
            this.runMigrations = runMigrations;
            return this;
        }

        /** Whether opening a store has Hibernate validate the table against the mapping (default true). */
        public Builder validateSchema(boolean validateSchema) {
            this.validateSchema = validateSchema;
            return this;
        }

        /**
         * Has the store factories ({@code JpaKvStores}, {@code MemoryKvStores}) return a store that
         * encrypts every value with {@code encryptor}, as {@link KvStore#encrypted} does, and closes
         * its store when closed; {@code null} (the default) stores values as given. Needs {@link
         * ValueFormat#BYTEA}. The {@link #limits} are those of the plaintext: the table takes values
         * larger by {@link Encryptor#overhead()}.
         */
        public Builder encryptor(Encryptor encryptor) {
            this.encryptor = encryptor;
            return this;
        }

        /**
         * Told when a PostgreSQL store finds its UNLOGGED table emptied by a crash of the database (see
         * {@link DataLossEvent}): when the store opens and at every {@code cleanupExpired()}, the
         * scheduled ones included. Called on the thread that noticed, after a WARNING log line; an
         * exception it throws is logged and ignored. Default: nothing beyond the log line.
         */
        public Builder onDataLoss(Consumer<DataLossEvent> onDataLoss) {
            this.onDataLoss = Objects.requireNonNull(onDataLoss, "onDataLoss must not be null");
            return this;
        }

        /**
         * See {@link KvConfig#lockTimeout()} (default {@link #DEFAULT_LOCK_TIMEOUT}, 10 s; zero for none).
         *
         * @throws IllegalArgumentException unless zero or between 1 ms and 1 day
         */
        public Builder lockTimeout(Duration lockTimeout) {
            this.lockTimeout = serverTimeout("lockTimeout", lockTimeout);
            return this;
        }

        /**
         * See {@link KvConfig#statementTimeout()} (default {@link #DEFAULT_STATEMENT_TIMEOUT}, 60 s; zero
         * for none).
         *
         * @throws IllegalArgumentException unless zero or between 1 ms and 1 day
         */
        public Builder statementTimeout(Duration statementTimeout) {
            this.statementTimeout = serverTimeout("statementTimeout", statementTimeout);
            return this;
        }

        /**
         * See {@link KvConfig#transactionTimeout()} (default {@link #DEFAULT_TRANSACTION_TIMEOUT}, 30 s;
         * zero for none).
         *
         * @throws IllegalArgumentException unless zero or between 1 ms and 1 day
         */
        public Builder transactionTimeout(Duration transactionTimeout) {
            this.transactionTimeout = serverTimeout("transactionTimeout", transactionTimeout);
            return this;
        }

        /**
         * See {@link KvConfig#poolSize()} (default {@value KvConfig#DEFAULT_POOL_SIZE}).
         *
         * @throws IllegalArgumentException unless between 1 and 1000
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1 || poolSize > LARGEST_POOL_SIZE) {
                throw new IllegalArgumentException(
                        "poolSize must be between 1 and " + LARGEST_POOL_SIZE + ", but was " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /**
         * See {@link KvConfig#connectionTimeout()} (default {@link #DEFAULT_CONNECTION_TIMEOUT}, 5 s).
         *
         * @throws IllegalArgumentException unless between 250 ms (HikariCP's least) and 1 day
         */
        public Builder connectionTimeout(Duration connectionTimeout) {
            if (connectionTimeout == null
                    || connectionTimeout.compareTo(SHORTEST_CONNECTION_TIMEOUT) < 0
                    || connectionTimeout.compareTo(LONGEST_TIMEOUT) > 0) {
                throw new IllegalArgumentException(
                        "connectionTimeout must be between 250ms and 1 day, but was " + connectionTimeout);
            }
            this.connectionTimeout = connectionTimeout;
            return this;
        }

        private static Duration serverTimeout(String setting, Duration timeout) {
            if (timeout == null
                    || timeout.isNegative()
                    || (!timeout.isZero() && timeout.compareTo(Duration.ofMillis(1)) < 0)
                    || timeout.compareTo(LONGEST_TIMEOUT) > 0) {
                throw new IllegalArgumentException(
                        setting + " must be zero (none) or between 1ms and 1 day, but was " + timeout);
            }
            return timeout;
        }

        /**
         * The expiry of every entry written without one (default {@link Expiry#never()}): {@code
         * Expiry.after(ttl)} for a default TTL, {@code Expiry.idle(maxIdle)} for entries that expire once
         * unread for {@code maxIdle}. A write that names a TTL or an {@link Expiry} overrides it; writes
         * that keep an entry's expiry ({@code update} without a TTL, {@code setIfVersion}, counters, {@code
         * compareAndSwap}) keep it on a live entry and give a new one this default.
         */
        public Builder defaultExpiry(Expiry defaultExpiry) {
            this.defaultExpiry = Objects.requireNonNull(defaultExpiry, "defaultExpiry must not be null");
            return this;
        }

        /**
         * @throws IllegalArgumentException if an encryptor is set with the JSONB format, or leaves no
         *     room for its overhead above {@code maxValueBytes}
         */
        public KvConfig build() {
            if (encryptor != null && format != ValueFormat.BYTEA) {
                throw new IllegalArgumentException(
                        "encryptor needs format BYTEA (ciphertext is not JSON), but format is " + format
                                + ": set format(ValueFormat.BYTEA) or no encryptor");
            }
            if (encryptor != null
                    && (long) limits.maxValueBytes() + encryptor.overhead() > Limits.MAX_VALUE_BYTES_LIMIT) {
                throw new IllegalArgumentException("encryptor adds up to " + encryptor.overhead()
                        + " bytes to each value: limits.maxValueBytes must be at most "
                        + (Limits.MAX_VALUE_BYTES_LIMIT - encryptor.overhead()) + ", but was "
                        + limits.maxValueBytes());
            }
            return new KvConfig(this);
        }
    }
}
