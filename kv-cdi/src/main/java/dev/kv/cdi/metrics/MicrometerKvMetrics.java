package dev.kv.cdi.metrics;

import dev.kv.cdi.KvMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reports every store operation to Micrometer as the timer {@code kv.operations}, tagged with
 * {@code store}, {@code operation} and {@code outcome}: counts, latencies, and the hit rate of
 * reads ({@code outcome=hit} against {@code outcome=miss}). Enabled wherever Micrometer's API is on
 * the class path; where it is not, CDI cannot load this class and keeps {@link
 * dev.kv.cdi.DroppedKvMetrics}. {@code kv.metrics.enabled=false} turns it off.
 *
 * <p>Proven on Quarkus (quarkus-micrometer). WildFly 39's micrometer subsystem hands deployments a
 * managed registry that refuses {@code MeterRegistry.config()} (WFLYMMTREXT0015), which meter
 * registration uses; there, set {@code kv.metrics.enabled=false}.
 */
@Alternative
@Priority(Interceptor.Priority.LIBRARY_BEFORE)
@ApplicationScoped
public class MicrometerKvMetrics implements KvMetrics {

    static final String METER = "kv.operations";

    private final MeterRegistry registry;
    private final boolean enabled;

    @Inject
    public MicrometerKvMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.enabled = ConfigProvider.getConfig()
                .getOptionalValue("kv.metrics.enabled", Boolean.class)
                .orElse(true);
    }

    protected MicrometerKvMetrics() {
        this.registry = null;
        this.enabled = false;
    }

    @Override
    public void record(String store, String operation, String outcome, long nanos) {
        if (!enabled) {
            return;
        }
        Timer.builder(METER)
                .description("kv store operations")
                .tag("store", store)
                .tag("operation", operation)
                .tag("outcome", outcome)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
