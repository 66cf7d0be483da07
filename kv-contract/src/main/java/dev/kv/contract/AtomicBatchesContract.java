package dev.kv.contract;

import static dev.kv.contract.ContractValues.oppositeOrders;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidKeyException;
import dev.kv.KvValidationException;
import dev.kv.Mutation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's cases for atomic batches. */
public abstract class AtomicBatchesContract extends ContractCase {

    protected AtomicBatchesContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void putsAndDeletesApplyInOrderWithAResultEach() {
        store.set("x", v("old"));
        List<Boolean> results = store.apply(List.of(
                Mutation.put("a", v("1")),
                Mutation.delete("x"),
                Mutation.delete("missing"),
                Mutation.put("b", v("2"), Duration.ofMinutes(1)),
                Mutation.delete("a")));
        assertThat(results).containsExactly(true, true, false, true, true);
        assertThat(store.keys("")).containsExactly("b");
        assertThat(store.ttl("b").remaining()).contains(Duration.ofMinutes(1));
    }

    @Test
    void anInvalidMutationWritesNothing() {
        store.set("x", v("old"));
        assertThatThrownBy(() -> store.apply(List.of(Mutation.delete("x"), Mutation.put("", v("1")))))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> store.apply(List.of(Mutation.delete("x"), Mutation.put("y", v("1"), Duration.ZERO))))
                .isInstanceOf(KvValidationException.class);
        assertThat(store.keys("")).containsExactly("x");
        assertThat(store.apply(List.of())).isEmpty();
    }

    @Test
    void expiredEntriesCountAsAbsent() {
        store.set("gone", v("x"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.apply(List.of(Mutation.delete("gone")))).containsExactly(false);
    }

    @Test
    void batchesOverlappingInOppositeOrderNeverDeadlock() throws Exception {
        List<List<String>> orders = oppositeOrders("shared:", 40);
        Concurrently.run(2, writer -> {
            List<String> order = orders.get(writer);
            for (int round = 0; round < 20; round++) {
                List<Mutation> batch = new ArrayList<>();
                for (int i = 0; i < order.size(); i++) {
                    batch.add(i % 3 == 0 ? Mutation.delete(order.get(i)) : Mutation.put(order.get(i), v("w")));
                }
                store.apply(batch);
            }
        });
    }
}
