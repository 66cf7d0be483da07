package dev.kv.contract.cdi;

import dev.kv.KvStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** Business methods of a test: work inside a container-managed transaction. */
@ApplicationScoped
public class TransactionalWork {

    /** Writes to kv, then fails: the transaction rolls back. */
    @Transactional
    public void writeThenFail(KvStore store, String key) {
        store.set(key, "\"written\"".getBytes(StandardCharsets.UTF_8));
        throw new IllegalStateException("the business method failed after writing " + key);
    }

    /** Runs {@code work} in one transaction that commits when it returns. */
    @Transactional
    public <T> T inTransaction(Callable<T> work) throws Exception {
        return work.call();
    }
}
