package dev.kv.jcache;

import dev.kv.KvException;
import dev.kv.KvStore;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import javax.cache.processor.MutableEntry;

/**
 * A JCache cache whose entries live in a kv store (a namespace of the manager's store): keys and values are
 * stored by value (Java serialization), expiry is kv's, and every write of one key runs in a kv transaction
 * that holds the entry's row lock ({@link KvStore#update}) while it decides, writes through and writes.
 */
final class KvCache<K, V> implements Cache<K, V> {

    private final String name;
    private final KvCacheManager manager;
    private final KvStore store;
    private final MutableConfiguration<K, V> configuration;
    private final StoreKeys keys;
    private final ClassLoader classLoader;
    private final ExpiryPolicy expiryPolicy;
    private final CacheLoader<K, V> loader;
    private final CacheWriter<K, V> writer;
    private final CacheListeners<K, V> listeners;
    private final CacheStatistics statistics = new CacheStatistics();
    private final Executor loadExecutor;
    private volatile boolean closed;

    KvCache(
            KvCacheManager manager,
            String name,
            KvStore store,
            MutableConfiguration<K, V> configuration,
            Executor loadExecutor) {
        this.manager = manager;
        this.name = name;
        this.store = store;
        this.configuration = configuration;
        this.classLoader = manager.getClassLoader();
        this.keys = new StoreKeys(classLoader);
        this.loadExecutor = loadExecutor;
        this.expiryPolicy = configuration.getExpiryPolicyFactory().create();
        this.loader = create(configuration.getCacheLoaderFactory());
        this.writer = configuration.isWriteThrough() ? writer(configuration) : null;
        this.listeners = new CacheListeners<>(name);
        for (CacheEntryListenerConfiguration<K, V> listener : configuration.getCacheEntryListenerConfigurations()) {
            listeners.register(listener);
        }
        statistics.enabled(configuration.isStatisticsEnabled());
        if (configuration.isStatisticsEnabled()) {
            ManagementBeans.register(statistics, ManagementBeans.Kind.CacheStatistics, managerUri(), name);
        }
        if (configuration.isManagementEnabled()) {
            registerConfigurationBean();
        }
    }

    /** A writer of supertypes of K and V writes entries of K and V. */
    @SuppressWarnings("unchecked")
    private static <K, V> CacheWriter<K, V> writer(CompleteConfiguration<K, V> configuration) {
        return (CacheWriter<K, V>) create(configuration.getCacheWriterFactory());
    }

    private static <T> T create(Factory<T> factory) {
        return factory == null ? null : factory.create();
    }

    // Reads

    @Override
    public V get(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        long start = System.nanoTime();
        String storeKey = keys.encode(key);
        Optional<byte[]> stored = kv(() -> store.get(storeKey));
        V value;
        if (stored.isPresent()) {
            statistics.hits(1);
            value = value(stored.get());
            accessed(key, storeKey, value);
        } else {
            statistics.misses(1);
            value = readThrough() ? loadOne(key) : null;
        }
        statistics.getTime(start);
        return value;
    }

    @Override
    public Map<K, V> getAll(Set<? extends K> requested) {
        checkOpen();
        Map<String, K> byStoreKey = storeKeys(requested);
        long start = System.nanoTime();
        Map<String, byte[]> stored = kv(() -> store.getMany(byStoreKey.keySet()));
        Map<K, V> found = new LinkedHashMap<>();
        List<K> missing = new ArrayList<>();
        byStoreKey.forEach((storeKey, key) -> {
            byte[] bytes = stored.get(storeKey);
            if (bytes == null) {
                missing.add(key);
            } else {
                V value = value(bytes);
                found.put(key, value);
                accessed(key, storeKey, value);
            }
        });
        statistics.hits(found.size());
        statistics.misses(missing.size());
        if (readThrough() && !missing.isEmpty()) {
            found.putAll(loadMissing(missing));
        }
        statistics.getTime(start);
        return found;
    }

    @Override
    public boolean containsKey(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        String storeKey = keys.encode(key);
        return kv(() -> store.exists(storeKey));
    }

    /** A read hit: the policy's access expiry applies to the entry. */
    private void accessed(K key, String storeKey, V value) {
        EntryExpiry expiry = EntryExpiry.forAccess(expiryPolicy);
        kv(() -> {
            applyExpiry(store, storeKey, expiry, true);
            return null;
        });
        if (expiry.isNow()) {
            listeners.deliver(List.of(KvCacheEntryEvent.expired(this, key, value)));
        }
    }

    // Read-through

    private boolean readThrough() {
        return configuration.isReadThrough() && loader != null;
    }

    private V loadOne(K key) {
        V loaded;
        try {
            loaded = loader.load(key);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException(e);
        }
        if (loaded != null) {
            storeLoaded(Map.of(key, loaded));
        }
        return loaded;
    }

    private Map<K, V> loadMissing(Collection<K> missing) {
        Map<K, V> loaded;
        try {
            loaded = loader.loadAll(missing);
        } catch (CacheLoaderException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheLoaderException(e);
        }
        Map<K, V> present = new LinkedHashMap<>();
        if (loaded != null) {
            loaded.forEach((key, value) -> {
                if (key != null && value != null) {
                    present.put(key, value);
                }
            });
        }
        storeLoaded(present);
        return present;
    }

    /** Loaded values of absent keys: created with the creation expiry, not written through. */
    private void storeLoaded(Map<K, V> loaded) {
        EntryExpiry expiry = EntryExpiry.forCreation(expiryPolicy);
        if (loaded.isEmpty() || expiry.isNow()) {
            return;
        }
        List<KvCacheEntryEvent<K, V>> events = new ArrayList<>();
        for (Map.Entry<K, V> entry : loaded.entrySet()) {
            String storeKey = keys.encode(entry.getKey());
            byte[] bytes = bytes(entry.getValue());
            boolean stored = kv(() -> switch (expiry.kind()) {
                case AFTER -> store.setIfAbsent(storeKey, bytes, expiry.ttl());
                default -> store.setIfAbsent(storeKey, bytes);
            });
            if (stored) {
                events.add(KvCacheEntryEvent.created(this, entry.getKey(), entry.getValue()));
            }
        }
        listeners.deliver(events);
    }

    @Override
    public void loadAll(Set<? extends K> requested, boolean replaceExistingValues, CompletionListener completion) {
        checkOpen();
        Objects.requireNonNull(requested, "keys");
        for (K key : requested) {
            Objects.requireNonNull(key, "a key to load");
        }
        CompletionListener listener = completion == null ? NO_COMPLETION : completion;
        if (loader == null) {
            listener.onCompletion();
            return;
        }
        List<K> toLoad = new ArrayList<>(requested);
        loadExecutor.execute(() -> {
            try {
                if (!replaceExistingValues) {
                    toLoad.removeIf(this::containsKey);
                }
                Map<K, V> loaded = toLoad.isEmpty() ? Map.of() : loader.loadAll(toLoad);
                if (loaded != null) {
                    loaded.forEach((key, value) -> {
                        if (key != null && value != null) {
                            change(key, step -> {
                                if (replaceExistingValues || !step.existed) {
                                    step.load(value);
                                }
                            });
                        }
                    });
                }
                listener.onCompletion();
            } catch (CacheLoaderException e) {
                listener.onException(e);
            } catch (RuntimeException e) {
                listener.onException(new CacheLoaderException(e));
            }
        });
    }

    private static final CompletionListener NO_COMPLETION = new CompletionListener() {
        @Override
        public void onCompletion() {}

        @Override
        public void onException(Exception e) {}
    };

    // Writes of one key

    @Override
    public void put(K key, V value) {
        checkOpen();
        putAndGet(key, value);
    }

    @Override
    public V getAndPut(K key, V value) {
        checkOpen();
        Step step = putAndGet(key, value);
        count(step);
        return step.old;
    }

    private Step putAndGet(K key, V value) {
        Objects.requireNonNull(value, "value");
        long start = System.nanoTime();
        Step step = change(key, s -> s.put(value));
        statistics.putTime(start);
        return step;
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        checkOpen();
        Objects.requireNonNull(value, "value");
        long start = System.nanoTime();
        Step step = change(key, s -> {
            if (!s.existed) {
                s.put(value);
            }
        });
        count(step);
        statistics.putTime(start);
        return !step.existed;
    }

    @Override
    public boolean remove(K key) {
        checkOpen();
        long start = System.nanoTime();
        Step step = change(key, Step::remove);
        statistics.removeTime(start);
        return step.existed;
    }

    @Override
    public boolean remove(K key, V oldValue) {
        checkOpen();
        Objects.requireNonNull(oldValue, "oldValue");
        long start = System.nanoTime();
        Step step = change(key, s -> {
            if (s.existed && s.old.equals(oldValue)) {
                s.remove();
            } else if (s.existed) {
                s.access();
            }
        });
        count(step);
        statistics.removeTime(start);
        return step.action == Action.REMOVE;
    }

    @Override
    public V getAndRemove(K key) {
        checkOpen();
        long start = System.nanoTime();
        Step step = change(key, Step::remove);
        count(step);
        statistics.removeTime(start);
        return step.old;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        checkOpen();
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        long start = System.nanoTime();
        Step step = change(key, s -> {
            if (s.existed && s.old.equals(oldValue)) {
                s.put(newValue);
            } else if (s.existed) {
                s.access();
            }
        });
        count(step);
        statistics.putTime(start);
        return step.action == Action.PUT;
    }

    @Override
    public boolean replace(K key, V value) {
        return getAndReplace(key, value) != null;
    }

    @Override
    public V getAndReplace(K key, V value) {
        checkOpen();
        Objects.requireNonNull(value, "value");
        long start = System.nanoTime();
        Step step = change(key, s -> {
            if (s.existed) {
                s.put(value);
            }
        });
        count(step);
        statistics.putTime(start);
        return step.old;
    }

    /** Counts a read of the old value: a hit if the key held an entry, else a miss. */
    private void count(Step step) {
        if (step.existed) {
            statistics.hits(1);
        } else {
            statistics.misses(1);
        }
    }

    @Override
    public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
        checkOpen();
        Objects.requireNonNull(processor, "entryProcessor");
        Object[] result = new Object[1];
        Step step = change(key, s -> result[0] = s.process(processor, arguments));
        count(step);
        @SuppressWarnings("unchecked")
        T typed = (T) result[0];
        return typed;
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(
            Set<? extends K> requested, EntryProcessor<K, V, T> processor, Object... arguments) {
        checkOpen();
        storeKeys(requested);
        Objects.requireNonNull(processor, "entryProcessor");
        Map<K, EntryProcessorResult<T>> results = new LinkedHashMap<>();
        for (K key : requested) {
            try {
                T result = invoke(key, processor, arguments);
                if (result != null) {
                    results.put(key, () -> result);
                }
            } catch (EntryProcessorException e) {
                results.put(key, () -> {
                    throw e;
                });
            } catch (CacheException e) {
                EntryProcessorException wrapped = new EntryProcessorException(e);
                results.put(key, () -> {
                    throw wrapped;
                });
            }
        }
        return results;
    }

    private enum Action {
        NONE,
        PUT,
        REMOVE
    }

    /**
     * One operation on one key, decided under the entry's lock from its value: what to write, with which
     * expiry, and whether the writer sees it. A decision may be taken again if another writer created the key
     * meanwhile, so it has no effect outside this object.
     */
    private final class Step {
        final K key;
        final V old;
        final boolean existed;
        Action action = Action.NONE;
        V value;
        byte[] bytes;
        EntryExpiry expiry = EntryExpiry.KEEP;
        boolean writeThrough;

        Step(K key, V old) {
            this.key = key;
            this.old = old;
            this.existed = old != null;
        }

        void put(V newValue) {
            Objects.requireNonNull(newValue, "value");
            action = Action.PUT;
            value = newValue;
            bytes = bytes(newValue);
            expiry = existed ? EntryExpiry.forUpdate(expiryPolicy) : EntryExpiry.forCreation(expiryPolicy);
            writeThrough = true;
        }

        /** A value from the loader: stored, never written back to where it came from. */
        void load(V newValue) {
            put(newValue);
            writeThrough = false;
        }

        void remove() {
            action = Action.REMOVE;
            value = null;
            bytes = null;
            expiry = EntryExpiry.KEEP;
            writeThrough = true;
        }

        void access() {
            action = Action.NONE;
            expiry = existed ? EntryExpiry.forAccess(expiryPolicy) : EntryExpiry.KEEP;
        }

        /** The bytes the entry holds after this step; null for none. */
        byte[] result(byte[] current) {
            return switch (action) {
                case NONE -> current;
                case PUT -> expiry.isNow() ? null : bytes;
                case REMOVE -> null;
            };
        }

        <T> T process(EntryProcessor<K, V, T> processor, Object... arguments) {
            ProcessedEntry entry = new ProcessedEntry(this);
            try {
                return processor.process(entry, arguments);
            } catch (EntryProcessorException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new EntryProcessorException(e);
            } finally {
                entry.finish();
            }
        }
    }

    /** The entry an EntryProcessor sees: its changes become the step's decision when it returns. */
    private final class ProcessedEntry implements MutableEntry<K, V> {
        private final Step step;
        private V current;
        private boolean exists;
        private boolean accessed;
        private boolean loaded;
        private Action action = Action.NONE;

        ProcessedEntry(Step step) {
            this.step = step;
            this.current = step.old;
            this.exists = step.existed;
        }

        @Override
        public K getKey() {
            return step.key;
        }

        @Override
        public V getValue() {
            if (!exists && action == Action.NONE && readThrough()) {
                V value;
                try {
                    value = loader.load(step.key);
                } catch (CacheLoaderException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw new CacheLoaderException(e);
                }
                if (value != null) {
                    current = value;
                    exists = true;
                    loaded = true;
                }
            } else if (exists && action == Action.NONE) {
                accessed = true;
            }
            return current;
        }

        @Override
        public boolean exists() {
            return exists;
        }

        @Override
        public void remove() {
            // A value this processor created goes without a trace; any other removal reaches the writer.
            action = action == Action.PUT && !step.existed ? Action.NONE : Action.REMOVE;
            current = null;
            exists = false;
            loaded = false;
        }

        @Override
        public void setValue(V value) {
            Objects.requireNonNull(value, "value");
            action = Action.PUT;
            current = value;
            exists = true;
            loaded = false;
        }

        @Override
        public <T> T unwrap(Class<T> clazz) {
            if (clazz.isInstance(this)) {
                return clazz.cast(this);
            }
            throw new IllegalArgumentException("a processed entry cannot be unwrapped to " + clazz.getName());
        }

        void finish() {
            switch (action) {
                case PUT -> step.put(current);
                case REMOVE -> step.remove();
                case NONE -> {
                    if (loaded) {
                        step.load(current);
                    } else if (accessed) {
                        step.access();
                    }
                }
            }
        }
    }

    /**
     * Runs one operation on one key in a kv transaction: {@link KvStore#update} locks the entry (in PostgreSQL
     * its row) and hands over its value, {@code decide} takes the step, the store writes it and its expiry,
     * the writer sees it before the commit (a failing writer rolls it back). Statistics and listeners follow
     * the commit.
     */
    private Step change(K key, Consumer<Step> decide) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        String storeKey = keys.encode(key);
        Step step = kv(() -> store.inTransaction(tx -> {
            Object[] taken = new Object[1];
            tx.update(storeKey, current -> {
                Step decided = new Step(key, current == null ? null : value(current));
                decide.accept(decided);
                taken[0] = decided;
                return decided.result(current);
            });
            @SuppressWarnings("unchecked")
            Step decided = (Step) taken[0];
            if (decided.action == Action.PUT && !decided.expiry.isNow()) {
                applyExpiry(tx, storeKey, decided.expiry, decided.existed);
            } else if (decided.action == Action.NONE && decided.existed) {
                applyExpiry(tx, storeKey, decided.expiry, true);
            }
            if (decided.writeThrough && writer != null) {
                if (decided.action == Action.PUT) {
                    write(decided.key, decided.value);
                } else if (decided.action == Action.REMOVE) {
                    delete(decided.key);
                }
            }
            return decided;
        }));
        if (step.action == Action.PUT && !(step.expiry.isNow() && !step.existed)) {
            statistics.puts(1);
        } else if (step.action == Action.REMOVE && step.existed) {
            statistics.removals(1);
        }
        listeners.deliver(events(step));
        return step;
    }

    private List<KvCacheEntryEvent<K, V>> events(Step step) {
        if (listeners.isEmpty()) {
            return List.of();
        }
        return switch (step.action) {
            case PUT -> {
                if (step.expiry.isNow()) {
                    yield step.existed ? List.of(KvCacheEntryEvent.expired(this, step.key, step.old)) : List.of();
                }
                yield List.of(
                        step.existed
                                ? KvCacheEntryEvent.updated(this, step.key, step.value, step.old)
                                : KvCacheEntryEvent.created(this, step.key, step.value));
            }
            case REMOVE -> step.existed ? List.of(KvCacheEntryEvent.removed(this, step.key, step.old)) : List.of();
            case NONE ->
                step.existed && step.expiry.isNow()
                        ? List.of(KvCacheEntryEvent.expired(this, step.key, step.old))
                        : List.of();
        };
    }

    /** Gives a written or read entry the expiry the policy chose; a new entry starts without one. */
    private static void applyExpiry(KvStore target, String storeKey, EntryExpiry expiry, boolean existed) {
        switch (expiry.kind()) {
            case KEEP -> {}
            case NOW -> target.delete(storeKey);
            case NEVER -> {
                if (existed) {
                    target.persist(storeKey);
                }
            }
            case AFTER -> target.expire(storeKey, expiry.ttl());
        }
    }

    // Write-through

    private void write(K key, V value) {
        try {
            writer.write(new KvCacheEntry<>(key, value));
        } catch (CacheWriterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheWriterException(e);
        }
    }

    private void delete(K key) {
        try {
            writer.delete(key);
        } catch (CacheWriterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CacheWriterException(e);
        }
    }

    // Batches

    @Override
    public void putAll(Map<? extends K, ? extends V> entries) {
        checkOpen();
        Objects.requireNonNull(entries, "map");
        Map<String, K> byStoreKey = new LinkedHashMap<>();
        for (Map.Entry<? extends K, ? extends V> entry : entries.entrySet()) {
            Objects.requireNonNull(entry.getKey(), "a key of the map");
            Objects.requireNonNull(entry.getValue(), "a value of the map");
            byStoreKey.put(keys.encode(entry.getKey()), entry.getKey());
        }
        long start = System.nanoTime();
        Map<K, V> toStore = new LinkedHashMap<>(entries);
        CacheWriterException writerFailure = null;
        if (writer != null && !entries.isEmpty()) {
            Collection<Cache.Entry<? extends K, ? extends V>> unwritten = new ArrayList<>();
            entries.forEach((key, value) -> unwritten.add(new KvCacheEntry<>(key, value)));
            try {
                writer.writeAll(unwritten);
            } catch (RuntimeException e) {
                writerFailure = e instanceof CacheWriterException w ? w : new CacheWriterException(e);
                for (Cache.Entry<? extends K, ? extends V> left : unwritten) {
                    toStore.remove(left.getKey());
                }
            }
        }
        Map<String, V> values = new LinkedHashMap<>();
        byStoreKey.forEach((storeKey, key) -> {
            if (toStore.containsKey(key)) {
                values.put(storeKey, toStore.get(key));
            }
        });
        if (!values.isEmpty()) {
            storeAll(values, byStoreKey);
        }
        statistics.putTime(start);
        if (writerFailure != null) {
            throw writerFailure;
        }
    }

    /** One transaction: reads the old values, then writes every entry in one kv batch ({@link KvStore#apply}). */
    private void storeAll(Map<String, V> values, Map<String, K> byStoreKey) {
        EntryExpiry creation = EntryExpiry.forCreation(expiryPolicy);
        EntryExpiry update = EntryExpiry.forUpdate(expiryPolicy);
        Clock clock = store.config().clock();
        List<KvCacheEntryEvent<K, V>> events = new ArrayList<>();
        long[] puts = new long[1];
        kv(() -> store.inTransaction(tx -> {
            events.clear();
            puts[0] = 0;
            Map<String, byte[]> old = tx.getMany(values.keySet());
            List<Mutation> mutations = new ArrayList<>();
            values.forEach((storeKey, value) -> {
                K key = byStoreKey.get(storeKey);
                byte[] oldBytes = old.get(storeKey);
                EntryExpiry expiry = oldBytes == null ? creation : update;
                byte[] bytes = bytes(value);
                switch (expiry.kind()) {
                    case NOW -> {
                        if (oldBytes != null) {
                            mutations.add(Mutation.delete(storeKey));
                            events.add(KvCacheEntryEvent.expired(this, key, value(oldBytes)));
                        }
                        return;
                    }
                    case AFTER -> mutations.add(Mutation.put(storeKey, bytes, expiry.ttl()));
                    case NEVER -> mutations.add(Mutation.put(storeKey, bytes));
                    case KEEP -> mutations.add(keepingExpiry(tx, clock, storeKey, bytes));
                }
                puts[0]++;
                events.add(
                        oldBytes == null
                                ? KvCacheEntryEvent.created(this, key, value)
                                : KvCacheEntryEvent.updated(this, key, value, value(oldBytes)));
            });
            tx.apply(mutations);
            return null;
        }));
        statistics.puts(puts[0]);
        listeners.deliver(events);
    }

    private static Mutation keepingExpiry(KvStore tx, Clock clock, String storeKey, byte[] bytes) {
        Optional<Instant> expiresAt = tx.getEntry(storeKey).flatMap(dev.kv.Entry::expiresAt);
        if (expiresAt.isEmpty()) {
            return Mutation.put(storeKey, bytes);
        }
        Duration left = Duration.between(clock.instant(), expiresAt.get());
        return Mutation.put(storeKey, bytes, left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left);
    }

    @Override
    public void removeAll(Set<? extends K> requested) {
        checkOpen();
        Map<String, K> byStoreKey = storeKeys(requested);
        long start = System.nanoTime();
        CacheWriterException writerFailure = null;
        if (writer != null && !requested.isEmpty()) {
            Collection<Object> undeleted = new LinkedHashSet<>(requested);
            try {
                writer.deleteAll(undeleted);
            } catch (RuntimeException e) {
                writerFailure = e instanceof CacheWriterException w ? w : new CacheWriterException(e);
                Set<Object> left = new HashSet<>(undeleted);
                byStoreKey.values().removeIf(left::contains);
            }
        }
        removeStored(byStoreKey);
        statistics.removeTime(start);
        if (writerFailure != null) {
            throw writerFailure;
        }
    }

    /** One transaction: reads the old values for the listeners, then deletes the keys in one kv batch. */
    private void removeStored(Map<String, K> byStoreKey) {
        if (byStoreKey.isEmpty()) {
            return;
        }
        Map<String, byte[]> removed = kv(() -> store.inTransaction(tx -> {
            Map<String, byte[]> old = tx.getMany(byStoreKey.keySet());
            tx.deleteMany(old.keySet());
            return old;
        }));
        statistics.removals(removed.size());
        if (!listeners.isEmpty()) {
            List<KvCacheEntryEvent<K, V>> events = new ArrayList<>();
            removed.forEach((storeKey, bytes) ->
                    events.add(KvCacheEntryEvent.removed(this, byStoreKey.get(storeKey), value(bytes))));
            listeners.deliver(events);
        }
    }

    @Override
    public void removeAll() {
        checkOpen();
        List<String> page = new ArrayList<>();
        try (Stream<String> all = store.streamKeys(ScanOptions.all(), PAGE)) {
            for (Iterator<String> it = all.iterator(); it.hasNext(); ) {
                page.add(it.next());
            }
        } catch (KvException e) {
            throw new CacheException(e);
        }
        for (int from = 0; from < page.size(); from += PAGE) {
            Set<K> chunk = new LinkedHashSet<>();
            for (String storeKey : page.subList(from, Math.min(page.size(), from + PAGE))) {
                @SuppressWarnings("unchecked")
                K key = (K) keys.decode(storeKey);
                chunk.add(key);
            }
            removeAll(chunk);
        }
    }

    private static final int PAGE = 500;

    @Override
    public void clear() {
        checkOpen();
        kv(store::clear);
    }

    private Map<String, K> storeKeys(Set<? extends K> requested) {
        Objects.requireNonNull(requested, "keys");
        Map<String, K> byStoreKey = new LinkedHashMap<>();
        for (K key : requested) {
            Objects.requireNonNull(key, "a key of the set");
            byStoreKey.put(keys.encode(key), key);
        }
        return byStoreKey;
    }

    // Iteration

    @Override
    public Iterator<Cache.Entry<K, V>> iterator() {
        checkOpen();
        Iterator<dev.kv.Entry> entries = store.stream(ScanOptions.all(), PAGE).iterator();
        return new Iterator<>() {
            private K last;

            @Override
            public boolean hasNext() {
                return kv(entries::hasNext);
            }

            @Override
            public Cache.Entry<K, V> next() {
                dev.kv.Entry entry = kv(entries::next);
                @SuppressWarnings("unchecked")
                K key = (K) keys.decode(entry.key());
                V value = value(entry.value());
                statistics.hits(1);
                accessed(key, entry.key(), value);
                last = key;
                return new KvCacheEntry<>(key, value);
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() has not returned an entry to remove");
                }
                KvCache.this.remove(last);
                last = null;
            }
        };
    }

    // Listeners, configuration, management

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
        checkOpen();
        Objects.requireNonNull(listener, "cacheEntryListenerConfiguration");
        configuration.addCacheEntryListenerConfiguration(listener);
        listeners.register(listener);
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listener) {
        checkOpen();
        Objects.requireNonNull(listener, "cacheEntryListenerConfiguration");
        configuration.removeCacheEntryListenerConfiguration(listener);
        listeners.deregister(listener);
    }

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        if (clazz.isInstance(configuration)) {
            return clazz.cast(configuration);
        }
        throw new IllegalArgumentException("the configuration of a kv cache is not a " + clazz.getName());
    }

    CompleteConfiguration<K, V> configuration() {
        return configuration;
    }

    void statisticsEnabled(boolean enabled) {
        configuration.setStatisticsEnabled(enabled);
        statistics.enabled(enabled);
        if (enabled) {
            ManagementBeans.register(statistics, ManagementBeans.Kind.CacheStatistics, managerUri(), name);
        } else {
            ManagementBeans.unregister(ManagementBeans.Kind.CacheStatistics, managerUri(), name);
        }
    }

    void managementEnabled(boolean enabled) {
        configuration.setManagementEnabled(enabled);
        if (enabled) {
            registerConfigurationBean();
        } else {
            ManagementBeans.unregister(ManagementBeans.Kind.CacheConfiguration, managerUri(), name);
        }
    }

    private void registerConfigurationBean() {
        ManagementBeans.register(
                new CacheConfigurationBean(configuration), ManagementBeans.Kind.CacheConfiguration, managerUri(), name);
    }

    private String managerUri() {
        return manager.getURI().toString();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CacheManager getCacheManager() {
        return manager;
    }

    @Override
    public void close() {
        manager.release(this);
    }

    /** Called by the manager: closes the cache and what it created, leaving its entries in the store. */
    void closeInternal() {
        if (closed) {
            return;
        }
        closed = true;
        ManagementBeans.unregister(ManagementBeans.Kind.CacheStatistics, managerUri(), name);
        ManagementBeans.unregister(ManagementBeans.Kind.CacheConfiguration, managerUri(), name);
        listeners.close();
        for (Object part : new Object[] {expiryPolicy, loader, writer}) {
            if (part instanceof Closeable closeable) {
                try {
                    closeable.close();
                } catch (IOException e) {
                    // Closing the cache goes on.
                }
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        if (clazz.isInstance(store)) {
            return clazz.cast(store);
        }
        throw new IllegalArgumentException("a kv cache cannot be unwrapped to " + clazz.getName());
    }

    // Values and failures

    private byte[] bytes(V value) {
        return JavaSerialization.toBytes(value);
    }

    @SuppressWarnings("unchecked")
    private V value(byte[] bytes) {
        return (V) JavaSerialization.fromBytes(bytes, classLoader);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cache " + name + " is closed");
        }
    }

    /** A kv failure reaches a JCache caller as a {@link CacheException} with the kv exception as its cause. */
    private static <T> T kv(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (KvException e) {
            throw new CacheException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "KvCache[" + name + "]";
    }
}
