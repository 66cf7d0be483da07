package dev.kv.wildfly;

import dev.kv.cdi.KvStores;
import dev.kv.contract.cdi.InjectedStoreContract;
import jakarta.enterprise.inject.spi.CDI;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The contract inside WildFly, on its Hibernate ORM 6.6 and Narayana JTA: run in the server by
 * {@link KvStoreContractIT}, its stores are the application's {@link KvStores}' own.
 */
public class WildFlyStoreContract extends InjectedStoreContract {

    @Override
    protected KvStores stores() {
        return CDI.current().select(KvStores.class).get();
    }

    @Override
    protected DataSource dataSource() {
        try {
            return InitialContext.doLookup("java:jboss/datasources/KvDS");
        } catch (NamingException e) {
            throw new IllegalStateException(e);
        }
    }
}
