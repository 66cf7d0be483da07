package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.memory.MemoryKvStores;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The glob cases on the store an in-memory {@code inTransaction} gives its work: each case, and
 * the entries it starts from, runs inside one transaction.
 */
class MemoryTransactionGlobSelectionTest extends GlobSelectionCases {

    private final KvStore store = MemoryKvStores.open(KvConfig.defaults());
    private final AtomicReference<KvStore> transaction = new AtomicReference<>();

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

    private void inTransaction(InvocationInterceptor.Invocation<Void> invocation) {
        store.inTransaction(tx -> {
            transaction.set(tx);
            try {
                return invocation.proceed();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            } finally {
                transaction.set(null);
            }
        });
    }

    @Override
    protected KvStore store() {
        return transaction.get();
    }

    @AfterEach
    void close() {
        store.close();
    }
}
