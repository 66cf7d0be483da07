package dev.kv.contract;

import static dev.kv.contract.ContractValues.oppositeOrders;
import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.texts;
import static dev.kv.contract.ContractValues.v;
import static dev.kv.contract.ContractValues.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidKeyException;
import dev.kv.InvalidValueException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract's cases for batches. */
public abstract class BatchesContract extends ContractCase {

    protected BatchesContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void getManyReturnsLiveValuesInTheOrderAsked() {
        store.setMany(values("a", "1", "b", "2", "c", "3"));
        store.set("gone", v("x"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(texts(store.getMany(List.of("c", "missing", "a", "gone", "a"))))
                .containsExactly(Map.entry("c", "3"), Map.entry("a", "1"));
    }

    @Test
    void getManyOfNoKeysIsEmpty() {
        assertThat(store.getMany(List.of())).isEmpty();
    }

    @Test
    void setManyWritesEveryEntryWithItsTtl() {
        store.set("b", v("old"));
        store.setMany(values("a", "1", "b", "2"), Duration.ofMinutes(1));
        assertThat(texts(store.getMany(List.of("a", "b")))).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(store.ttl("b").remaining()).contains(Duration.ofMinutes(1));
        assertThat(store.getEntry("b").orElseThrow().version()).isEqualTo(2);
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.getMany(List.of("a", "b"))).isEmpty();
    }

    @Test
    void setManyWithOneInvalidEntryWritesNothing() {
        Map<String, byte[]> batch = values("a", "1", "b", "2");
        batch.put("a\u0000", v("3"));
        assertThatThrownBy(() -> store.setMany(batch)).isInstanceOf(InvalidKeyException.class);
        Map<String, byte[]> nullValue = values("a", "1");
        nullValue.put("b", null);
        assertThatThrownBy(() -> store.setMany(nullValue)).isInstanceOf(InvalidValueException.class);
        assertThat(store.keys("")).isEmpty();
    }

    @Test
    void deleteManyCountsTheLiveEntriesItRemoved() {
        store.setMany(values("a", "1", "b", "2", "c", "3"));
        store.set("gone", v("x"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.deleteMany(List.of("a", "c", "missing", "gone", "a"))).isEqualTo(2);
        assertThat(store.keys("")).containsExactly("b");
    }

    @Test
    void batchesOfFiveHundredKeysRoundTrip() {
        Map<String, byte[]> batch = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            batch.put("bulk:" + i, v("value-" + i));
        }
        store.setMany(batch);
        assertThat(store.getMany(batch.keySet())).hasSize(500);
        assertThat(text(store.get("bulk:499"))).isEqualTo("value-499");
        assertThat(store.deleteMany(batch.keySet())).isEqualTo(500);
    }

    @Test
    void batchesOverlappingInOppositeOrderNeverDeadlock() throws Exception {
        List<List<String>> orders = oppositeOrders("shared:", 50);
        Concurrently.run(2, writer -> {
            List<String> order = orders.get(writer);
            String text = "writer-" + writer;
            for (int round = 0; round < 20; round++) {
                Map<String, byte[]> batch = new LinkedHashMap<>();
                order.forEach(key -> batch.put(key, v(text)));
                store.setMany(batch);
            }
        });
        assertThat(store.getMany(orders.get(0))).hasSize(50);
    }
}
