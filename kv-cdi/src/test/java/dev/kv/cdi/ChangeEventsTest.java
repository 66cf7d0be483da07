package dev.kv.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.cdi.KvChange.Operation;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChangeEventsTest {

    @Test
    void withoutObserversNothingIsFiredAndTheVersionIsNeverRead() {
        FiredEvents fired = new FiredEvents();
        AtomicInteger reads = new AtomicInteger();
        new ChangeEvents(fired, false).fire("default", "k", Operation.SET, () -> reads.incrementAndGet());
        assertThat(fired.changes).isEmpty();
        assertThat(reads).hasValue(0);
    }

    @Test
    void withObserversTheChangeCarriesTheVersionReadWhenFired() {
        FiredEvents fired = new FiredEvents();
        new ChangeEvents(fired, true).fire("sessions", "k", Operation.UPDATE, () -> 7);
        assertThat(fired.changes).containsExactly(new KvChange("sessions", "k", Operation.UPDATE, 7));
    }
}
