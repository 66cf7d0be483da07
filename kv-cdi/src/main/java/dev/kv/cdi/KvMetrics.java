package dev.kv.cdi;

/**
 * Where the produced stores report each operation. The default bean drops the reports; where
 * Micrometer is present (Quarkus with quarkus-micrometer, WildFly with its micrometer subsystem),
 * {@link dev.kv.cdi.metrics.MicrometerKvMetrics} replaces it. An application may declare its own
 * {@code @Alternative @Priority} bean.
 */
public interface KvMetrics {

    /**
     * One operation of a store.
     *
     * @param store the store's name
     * @param operation the {@link dev.kv.KvStore} method, e.g. {@code get}
     * @param outcome {@code hit} or {@code miss} for reads of a key, {@code ok} for other successful
     *     calls, {@code error} for a call that threw
     * @param nanos how long the call took
     */
    void record(String store, String operation, String outcome, long nanos);
}
