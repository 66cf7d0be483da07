package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.contract.GlobSelectionContract;
import dev.kv.contract.KvStoreContract;
import dev.kv.memory.MemoryKvStores;
import java.lang.reflect.Method;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract's glob cases on the store an in-memory {@code inTransaction} gives its work: the
 * entries each case starts from are written in one transaction, and the case runs in another.
 */
class MemoryTransactionGlobSelectionTest extends GlobSelectionContract {

    /** Hands the cases the store of the transaction that is running. */
    private static final class InTransaction extends KvStoreContract {

        private final KvStore outside = MemoryKvStores.open(KvConfig.defaults());

        @Override
        protected KvStore open(KvConfig.Builder settings) {
            throw new UnsupportedOperationException("the glob cases use only the transaction's store");
        }

        @Override
        protected void deleteAllEntries() {}

        void setStore(KvStore transaction) {
            store = transaction;
        }
    }

    private static final InTransaction fixture = new InTransaction();

    @RegisterExtension
    final InvocationInterceptor inTransaction = new InvocationInterceptor() {
        @Override
        public void interceptBeforeEachMethod(
                Invocation<Void> invocation, ReflectiveInvocationContext<Method> context, ExtensionContext extension) {
            inTransaction(invocation);
        }

        @Override
        public void interceptTestMethod(
                Invocation<Void> invocation, ReflectiveInvocationContext<Method> context, ExtensionContext extension) {
            inTransaction(invocation);
        }
    };

    MemoryTransactionGlobSelectionTest() {
        super(fixture);
    }

    /** Runs a step of the case in a transaction of its own, on that transaction's store. */
    private void inTransaction(InvocationInterceptor.Invocation<Void> invocation) {
        fixture.outside.inTransaction(tx -> {
            fixture.setStore(tx);
            store = tx;
            try {
                return invocation.proceed();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterEach
    void clearTheStore() {
        fixture.outside.clear();
    }
}
