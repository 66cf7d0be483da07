package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CounterOverflowException;
import dev.kv.Ttl;
import dev.kv.TypeMismatchException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's cases for counters. */
public abstract class CountersContract extends ContractCase {

    /** Why a case that goes on after PostgreSQL refused an increment needs that increment in a transaction of its own. */
    private static final String REFUSED_INCREMENT = "PostgreSQL refuses the increment, which aborts the caller's"
            + " transaction (and the store marks it for rollback): the case's next call cannot run in it";

    protected CountersContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void incrementOfAnAbsentKeyStartsFromZero() {
        assertThat(store.increment("visits")).isEqualTo(1);
        assertThat(store.increment("visits", 41)).isEqualTo(42);
        assertThat(text(store.get("visits").map(value -> ("\"" + new String(value, StandardCharsets.UTF_8) + "\"")
                        .getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("42");
        assertThat(store.ttl("visits")).isEqualTo(Ttl.persistent());
    }

    @Test
    void decrementGoesBelowZero() {
        assertThat(store.decrement("stock", 3)).isEqualTo(-3);
        assertThat(store.decrement("stock")).isEqualTo(-4);
        assertThat(store.increment("stock", 10)).isEqualTo(6);
    }

    @Test
    void incrementKeepsTheExpiryOfALiveCounter() {
        store.set("window", "5".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(10));
        assertThat(store.increment("window")).isEqualTo(6);
        assertThat(store.ttl("window").remaining()).contains(Duration.ofSeconds(50));
        assertThat(store.getEntry("window").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void anExpiredCounterStartsAgainFromZero() {
        store.set("window", "5".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.increment("window", 2)).isEqualTo(2);
        assertThat(store.ttl("window")).isEqualTo(Ttl.persistent());
    }

    @Test
    void aValueThatIsNotAnIntegerIsATypeMismatchAndStaysUnchanged() {
        assumeCallsCommitOneByOne(REFUSED_INCREMENT);
        for (String notAnInteger : List.of("\"12\"", "1.5", "{\"n\": 1}", "true", "99999999999999999999")) {
            store.set("odd", notAnInteger.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> store.increment("odd"))
                    .as(notAnInteger)
                    .isInstanceOf(TypeMismatchException.class)
                    .hasMessageMatching("value of \"(.*:)?odd\" is not an integer that fits a long");
            assertThat(store.getEntry("odd").orElseThrow().version()).isEqualTo(1);
            store.delete("odd");
        }
    }

    @Test
    void overflowIsAnErrorNotAWrap() {
        assumeCallsCommitOneByOne(REFUSED_INCREMENT);
        store.increment("big", Long.MAX_VALUE);
        assertThatThrownBy(() -> store.increment("big")).isInstanceOf(CounterOverflowException.class);
        assertThat(store.increment("big", 0)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> store.decrement("small", Long.MIN_VALUE)).isInstanceOf(CounterOverflowException.class);
    }

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        Concurrently.run(8, thread -> {
            for (int i = 0; i < 250; i++) {
                store.increment("hits");
            }
        });
        assertThat(store.increment("hits", 0)).isEqualTo(2000);
    }
}
