package dev.kv.jcache;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/**
 * The listeners registered on one cache. Events of one operation are delivered after it committed: to a
 * synchronous listener before the operation returns, to an asynchronous one on the cache's event thread,
 * which delivers them in the order the operations committed.
 */
final class CacheListeners<K, V> implements AutoCloseable {

    private record Registration<K, V>(
            CacheEntryListenerConfiguration<K, V> configuration,
            CacheEntryListener<? super K, ? super V> listener,
            CacheEntryEventFilter<? super K, ? super V> filter) {

        boolean accepts(KvCacheEntryEvent<K, V> event) {
            boolean listens =
                    switch (event.getEventType()) {
                        case CREATED -> listener instanceof CacheEntryCreatedListener;
                        case UPDATED -> listener instanceof CacheEntryUpdatedListener;
                        case REMOVED -> listener instanceof CacheEntryRemovedListener;
                        case EXPIRED -> listener instanceof CacheEntryExpiredListener;
                    };
            return listens && (filter == null || filter.evaluate(event));
        }
    }

    private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();
    private final ExecutorService asyncDelivery;

    CacheListeners(String cacheName) {
        this.asyncDelivery = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kv-jcache-events-" + cacheName);
            thread.setDaemon(true);
            return thread;
        });
    }

    boolean isEmpty() {
        return registrations.isEmpty();
    }

    void register(CacheEntryListenerConfiguration<K, V> configuration) {
        for (Registration<K, V> registration : registrations) {
            if (registration.configuration().equals(configuration)) {
                throw new IllegalArgumentException(
                        "this listener configuration is already registered: " + configuration);
            }
        }
        Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
                configuration.getCacheEntryEventFilterFactory();
        registrations.add(new Registration<>(
                configuration,
                configuration.getCacheEntryListenerFactory().create(),
                filterFactory == null ? null : filterFactory.create()));
    }

    void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
        for (Registration<K, V> registration : registrations) {
            if (registration.configuration().equals(configuration)) {
                registrations.remove(registration);
                closeQuietly(registration.listener());
            }
        }
    }

    /** Delivers the events of one operation; a synchronous listener's failure reaches the caller. */
    void deliver(List<KvCacheEntryEvent<K, V>> events) {
        if (events.isEmpty() || registrations.isEmpty()) {
            return;
        }
        CacheEntryListenerException failure = null;
        for (Registration<K, V> registration : registrations) {
            if (registration.configuration().isSynchronous()) {
                try {
                    deliver(registration, events);
                } catch (RuntimeException e) {
                    failure = e instanceof CacheEntryListenerException listenerException
                            ? listenerException
                            : new CacheEntryListenerException(e);
                }
            } else {
                asyncDelivery.execute(() -> deliver(registration, events));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, V> void deliver(Registration<K, V> registration, List<KvCacheEntryEvent<K, V>> events) {
        List<CacheEntryEvent<? extends K, ? extends V>> batch = new ArrayList<>();
        EventType batchType = null;
        for (KvCacheEntryEvent<K, V> event : events) {
            if (!registration.accepts(event)) {
                continue;
            }
            if (batchType != null && batchType != event.getEventType()) {
                send(registration.listener(), batchType, batch);
                batch = new ArrayList<>();
            }
            batchType = event.getEventType();
            batch.add(event);
        }
        if (!batch.isEmpty()) {
            send(registration.listener(), batchType, batch);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void send(CacheEntryListener listener, EventType type, List events) {
        switch (type) {
            case CREATED -> ((CacheEntryCreatedListener) listener).onCreated(events);
            case UPDATED -> ((CacheEntryUpdatedListener) listener).onUpdated(events);
            case REMOVED -> ((CacheEntryRemovedListener) listener).onRemoved(events);
            case EXPIRED -> ((CacheEntryExpiredListener) listener).onExpired(events);
        }
    }

    @Override
    public void close() {
        asyncDelivery.shutdown();
        for (Registration<K, V> registration : registrations) {
            closeQuietly(registration.listener());
        }
        registrations.clear();
    }

    private static void closeQuietly(Object resource) {
        if (resource instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                // A listener that fails to close is gone all the same.
            }
        }
    }
}
