package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.utf8;
import static dev.kv.contract.ContractValues.v;
import static dev.kv.contract.ContractValues.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The contract's cases for transactions. */
public abstract class TransactionsContract extends ContractCase {

    protected TransactionsContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void operationsInATransactionCommitTogether() {
        long left = store.inTransaction(tx -> {
            tx.set("stock:42", utf8("3"));
            long remaining = tx.decrement("stock:42");
            tx.set("order:7", v("sku-42"), Duration.ofMinutes(5));
            assertThat(text(tx.get("order:7"))).isEqualTo("sku-42");
            return remaining;
        });
        assertThat(left).isEqualTo(2);
        assertThat(store.increment("stock:42", 0)).isEqualTo(2);
        assertThat(text(store.get("order:7"))).isEqualTo("sku-42");
    }

    @Test
    void anExceptionRollsBackEveryOperationAndReachesTheCaller() {
        assumeCallsCommitOneByOne("inTransaction joins the caller's transaction, and JTA has no nested ones: the"
                + " exception marks the caller's for rollback, which undoes the whole case when it ends");
        store.set("balance:a", utf8("100"));
        store.set("balance:b", utf8("0"));
        IllegalStateException refused = new IllegalStateException("limit exceeded");
        assertThatThrownBy(() -> store.inTransaction(tx -> {
                    tx.decrement("balance:a", 150);
                    tx.increment("balance:b", 150);
                    tx.delete("balance:a");
                    tx.setMany(values("audit:1", "transfer"));
                    throw refused;
                }))
                .isSameAs(refused);
        assertThat(store.increment("balance:a", 0)).isEqualTo(100);
        assertThat(store.increment("balance:b", 0)).isZero();
        assertThat(store.exists("audit:1")).isFalse();
    }

    @Test
    void concurrentTransfersKeepTheTotal() throws Exception {
        assumeCallsCommitOneByOne("the other threads wait for the accounts the case writes first, which commit"
                + " only when the caller's transaction ends, after the threads");
        store.set("account:a", utf8("1000"));
        store.set("account:b", utf8("1000"));
        Concurrently.run(4, thread -> {
            boolean forward = thread % 2 == 0;
            for (int i = 0; i < 25; i++) {
                String from = forward ? "account:a" : "account:b";
                String to = forward ? "account:b" : "account:a";
                store.inTransaction(tx -> {
                    // lock both in one order, whatever the direction
                    tx.increment("account:a", 0);
                    tx.increment("account:b", 0);
                    tx.decrement(from, 7);
                    return tx.increment(to, 7);
                });
            }
        });
        assertThat(store.increment("account:a", 0) + store.increment("account:b", 0))
                .isEqualTo(2000);
    }
}
