package dev.kv.quarkus;

import dev.kv.cdi.KvStores;
import dev.kv.contract.cdi.InjectedStoreContract;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;

/**
 * The contract inside Quarkus, on its Hibernate ORM 7.2 and Narayana JTA: every case, nested classes
 * and all, on stores of the application's {@link KvStores}.
 */
@QuarkusTest
class KvStoreContractQuarkusTest extends InjectedStoreContract {

    @Inject
    KvStores stores;

    @Inject
    DataSource dataSource;

    @Override
    protected KvStores stores() {
        return stores;
    }

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
