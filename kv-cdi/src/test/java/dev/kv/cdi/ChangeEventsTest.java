package dev.kv.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.cdi.KvChange.Operation;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChangeEventsTest {

    /** The events fired, in order; the rest of {@link Event} is not used by {@link ChangeEvents}. */
    private static final class Fired implements Event<KvChange> {

        final List<KvChange> changes = new ArrayList<>();

        @Override
        public void fire(KvChange change) {
            changes.add(change);
        }

        @Override
        public <U extends KvChange> CompletionStage<U> fireAsync(U change) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends KvChange> CompletionStage<U> fireAsync(U change, NotificationOptions options) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Event<KvChange> select(Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends KvChange> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends KvChange> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void withoutObserversNothingIsFiredAndTheVersionIsNeverRead() {
        Fired fired = new Fired();
        AtomicInteger reads = new AtomicInteger();
        new ChangeEvents(fired, false).fire("default", "k", Operation.SET, () -> reads.incrementAndGet());
        assertThat(fired.changes).isEmpty();
        assertThat(reads).hasValue(0);
    }

    @Test
    void withObserversTheChangeCarriesTheVersionReadWhenFired() {
        Fired fired = new Fired();
        new ChangeEvents(fired, true).fire("sessions", "k", Operation.UPDATE, () -> 7);
        assertThat(fired.changes).containsExactly(new KvChange("sessions", "k", Operation.UPDATE, 7));
    }
}
