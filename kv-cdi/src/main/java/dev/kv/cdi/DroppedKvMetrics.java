package dev.kv.cdi;

import jakarta.enterprise.context.ApplicationScoped;

/** The default {@link KvMetrics}: without a metrics library, reports go nowhere. */
@ApplicationScoped
public class DroppedKvMetrics implements KvMetrics {

    @Override
    public void record(String store, String operation, String outcome, long nanos) {}
}
