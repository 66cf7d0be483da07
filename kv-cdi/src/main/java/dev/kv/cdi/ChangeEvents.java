package dev.kv.cdi;

import dev.kv.cdi.KvChange.Operation;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.function.LongSupplier;

/**
 * Fires the {@link KvChange}s of the stores. Reading the version a write left costs a statement, so
 * it is read only when some observer takes the event; an application's observers are fixed once it
 * is deployed, so each store asks once, when it is created.
 */
final class ChangeEvents {

    private final Event<KvChange> event;
    private final boolean observed;

    ChangeEvents(Event<KvChange> event, boolean observed) {
        this.event = event;
        this.observed = observed;
    }

    /** The events of an application whose observers {@code beans} resolves. */
    static ChangeEvents of(Event<KvChange> event, BeanManager beans) {
        KvChange probe = new KvChange(KvSettings.DEFAULT_STORE, "probe", Operation.SET, 0);
        return new ChangeEvents(event, !beans.resolveObserverMethods(probe).isEmpty());
    }

    /** Whether some observer takes the changes. */
    boolean observed() {
        return observed;
    }

    /** Fires the change, reading {@code version} only if the change is observed. */
    void fire(String store, String key, Operation operation, LongSupplier version) {
        if (observed) {
            event.fire(new KvChange(store, key, operation, version.getAsLong()));
        }
    }
}
