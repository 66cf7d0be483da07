package dev.kv.cdi.tests;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.Change;
import dev.kv.KeyNotFoundException;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.contract.cdi.InjectedTable;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a caller's JTA transaction means for the injected store — the semantics for which {@link
 * InjectedStoreInCallerTransactionContractTest} skips contract cases: its writes and their changes
 * commit or roll back with the caller's transaction, and a failed call dooms it while a refused
 * argument or a missing key does not.
 */
class InjectedStoreTransactionsTest {

    private final InjectedApplication application = InjectedApplication.get();
    private final InjectedTable table = new InjectedTable(application.dataSource(), "injected_transactions");
    private final TransactionManager transactions = application.transactions();
    private RequestContextController request;
    private KvStore store;

    @BeforeEach
    void open() {
        table.deleteAllEntries();
        request = application.requestContext();
        request.activate();
        store = application
                .stores()
                .open("transactions", table.apply(KvConfig.builder().changeStream(true)));
    }

    @AfterEach
    void close() throws Exception {
        if (transactions.getStatus() != Status.STATUS_NO_TRANSACTION) {
            transactions.rollback();
        }
        request.deactivate();
    }

    @Test
    void writesAndTheirChangesCommitWithTheCallersTransaction() throws Exception {
        transactions.begin();
        store.set("cart:1", v("book"));
        store.set("cart:2", v("pen"));
        assertThat(store.changes().read(0, 10)).as("before the caller commits").isEmpty();
        transactions.commit();

        assertThat(store.exists("cart:1")).isTrue();
        assertThat(store.changes().read(0, 10)).extracting(Change::key).containsExactly("cart:1", "cart:2");
    }

    @Test
    void writesAndTheirChangesRollBackWithTheCallersTransaction() throws Exception {
        store.set("kept", v("before"));
        transactions.begin();
        store.set("cart:1", v("book"));
        store.delete("kept");
        transactions.rollback();

        assertThat(store.exists("cart:1")).isFalse();
        assertThat(store.exists("kept")).isTrue();
        assertThat(store.changes().read(0, 10)).extracting(Change::key).containsExactly("kept");
    }

    @Test
    void aFailedCallMarksTheCallersTransactionForRollback() throws Exception {
        transactions.begin();
        store.set("balance", v("100"));
        IllegalStateException refused = new IllegalStateException("limit exceeded");
        assertThatThrownBy(() -> store.inTransaction(tx -> {
                    tx.delete("balance");
                    throw refused;
                }))
                .isSameAs(refused);
        assertThat(transactions.getStatus()).isEqualTo(Status.STATUS_MARKED_ROLLBACK);
        transactions.rollback();

        assertThat(store.exists("balance")).isFalse();
    }

    @Test
    void aRefusedArgumentLeavesTheCallersTransactionActive() throws Exception {
        transactions.begin();
        store.set("a", v("1"));
        assertThatThrownBy(() -> store.set("", v("2"))).isInstanceOf(KvValidationException.class);
        assertThat(transactions.getStatus()).isEqualTo(Status.STATUS_ACTIVE);
        transactions.commit();

        assertThat(store.exists("a")).isTrue();
    }

    @Test
    void aMissingKeyLeavesTheCallersTransactionActive() throws Exception {
        transactions.begin();
        store.set("a", v("1"));
        assertThatThrownBy(() -> store.getOrThrow("missing")).isInstanceOf(KeyNotFoundException.class);
        assertThat(transactions.getStatus()).isEqualTo(Status.STATUS_ACTIVE);
        transactions.commit();

        assertThat(store.exists("a")).isTrue();
    }
}
