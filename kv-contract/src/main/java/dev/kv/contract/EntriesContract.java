package dev.kv.contract;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.utf8;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.Entry;
import dev.kv.Mutation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's cases for entries. */
public abstract class EntriesContract extends ContractCase {

    protected EntriesContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void getEntryWhenAbsentThenEmpty() {
        assertThat(store.getEntry("missing")).isEmpty();
    }

    @Test
    void newEntryHasVersionOneAndCreationTime() {
        store.set("k", v("a"));
        Entry entry = store.getEntry("k").orElseThrow();
        assertThat(entry.key()).isEqualTo("k");
        assertThat(text(entry.value())).isEqualTo("a");
        assertThat(entry.version()).isEqualTo(1);
        assertThat(entry.createdAt()).isEqualTo(START);
        assertThat(entry.updatedAt()).isEqualTo(START);
        assertThat(entry.expiresAt()).isEmpty();
    }

    @Test
    void everyWriteIncrementsVersionAndUpdatedTimeButKeepsCreationTime() {
        store.set("k", v("a"));
        clock.advance(Duration.ofSeconds(5));
        store.set("k", v("b"), Duration.ofMinutes(1));
        clock.advance(Duration.ofSeconds(5));
        store.expire("k", Duration.ofMinutes(2));
        clock.advance(Duration.ofSeconds(5));
        store.update("k", current -> v("c"));

        Entry entry = store.getEntry("k").orElseThrow();
        assertThat(entry.version()).isEqualTo(4);
        assertThat(entry.createdAt()).isEqualTo(START);
        assertThat(entry.updatedAt()).isEqualTo(START.plusSeconds(15));
        assertThat(entry.expiresAt()).contains(START.plusSeconds(10).plus(Duration.ofMinutes(2)));
    }

    @Test
    void writingAnExpiredKeyCreatesTheEntryAnew() {
        store.set("k", v("a"), Duration.ofSeconds(10));
        store.set("k", v("b"), Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(20));
        store.set("k", v("c"));
        Entry entry = store.getEntry("k").orElseThrow();
        assertThat(entry.createdAt()).isEqualTo(START.plusSeconds(20));
        assertThat(entry.version()).isEqualTo(1);
    }

    @Test
    void everyKindOfWriteToAnExpiredKeyStartsAtVersionOne() {
        List<java.util.function.Consumer<String>> writes = List.of(
                key -> store.set(key, v("new")),
                key -> store.setIfAbsent(key, v("new")),
                key -> store.update(key, current -> v("new")),
                key -> store.increment(key),
                key -> store.setMany(Map.of(key, v("new"))),
                key -> store.apply(List.of(Mutation.put(key, v("new")))));
        for (int i = 0; i < writes.size(); i++) {
            String key = "revived:" + i;
            store.set(key, utf8("1"), Duration.ofSeconds(1));
            store.set(key, utf8("2"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            writes.get(i).accept(key);
            assertThat(store.getEntry(key).orElseThrow().version())
                    .as("write " + i)
                    .isEqualTo(1);
        }
    }

    @Test
    void timesAreKeptToTheMicrosecond() {
        clock.advance(Duration.ofNanos(123_456_789));
        store.set("k", v("a"), Duration.ofNanos(1_500));
        Entry entry = store.getEntry("k").orElseThrow();
        Instant now = START.plusNanos(123_456_000);
        assertThat(entry.createdAt()).isEqualTo(now);
        assertThat(entry.expiresAt()).contains(now.plus(1, ChronoUnit.MICROS));
    }
}
