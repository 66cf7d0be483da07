package dev.kv.cdi.tests;

import dev.kv.testing.CountingDataSource;
import dev.kv.testing.TestPostgres;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.SQLException;
import java.util.Map;

/**
 * What an application server gives the application, built in Java SE from real parts: a pool of
 * connections to the test database that enlists each connection in the calling thread's JTA
 * transaction (Agroal with its Narayana integration, as Quarkus has it), seen through a {@link
 * CountingDataSource}; the application's JTA persistence unit on it (Hibernate); and the
 * application's {@link EntityManager} bean, transaction-scoped as {@code @Produces
 * @PersistenceContext EntityManager em;} exposes it on Jakarta EE.
 */
@ApplicationScoped
class ApplicationResources {

    private static final int POOL_SIZE = 24;

    @Produces
    @Singleton
    @Typed(AgroalDataSource.class)
    AgroalDataSource pool(TransactionManager transactions, TransactionSynchronizationRegistry registry)
            throws SQLException {
        TestPostgres postgres = TestPostgres.get();
        return AgroalDataSource.from(
                new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(pool -> pool.maxSize(POOL_SIZE)
                        .transactionIntegration(new NarayanaTransactionIntegration(transactions, registry))
                        .connectionFactoryConfiguration(connections -> connections
                                .jdbcUrl(postgres.jdbcUrl())
                                .principal(new NamePrincipal(postgres.user()))
                                .credential(new SimplePassword(postgres.password())))));
    }

    void closePool(@Disposes AgroalDataSource pool) {
        pool.close();
    }

    @Produces
    @Singleton
    @Typed(CountingDataSource.class)
    CountingDataSource dataSource(AgroalDataSource pool) {
        return new CountingDataSource(pool);
    }

    @Produces
    @Singleton
    EntityManagerFactory persistenceUnit(CountingDataSource dataSource) {
        return Persistence.createEntityManagerFactory(
                "application", Map.of("jakarta.persistence.jtaDataSource", dataSource));
    }

    void closePersistenceUnit(@Disposes EntityManagerFactory persistenceUnit) {
        persistenceUnit.close();
    }

    @Produces
    @Singleton
    EntityManager entityManager(
            EntityManagerFactory persistenceUnit,
            TransactionSynchronizationRegistry registry,
            Instance<RequestEntityManager> request) {
        return TransactionScopedEntityManager.of(
                persistenceUnit, registry, () -> request.get().entityManager());
    }
}
