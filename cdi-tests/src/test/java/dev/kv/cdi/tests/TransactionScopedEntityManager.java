package dev.kv.cdi.tests;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SynchronizationType;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/**
 * A container-managed, transaction-scoped {@link EntityManager} (Jakarta Persistence 3.1, section
 * 7.6.2): one object shared by every thread, each call going to the persistence context of the
 * calling thread's JTA transaction — created on first use, joined to the transaction, closed when it
 * completes — or, outside a transaction, to the one of the current request.
 */
final class TransactionScopedEntityManager implements InvocationHandler {

    private final EntityManagerFactory persistenceUnit;
    private final TransactionSynchronizationRegistry registry;
    private final Supplier<EntityManager> outsideTransactions;

    private TransactionScopedEntityManager(
            EntityManagerFactory persistenceUnit,
            TransactionSynchronizationRegistry registry,
            Supplier<EntityManager> outsideTransactions) {
        this.persistenceUnit = persistenceUnit;
        this.registry = registry;
        this.outsideTransactions = outsideTransactions;
    }

    static EntityManager of(
            EntityManagerFactory persistenceUnit,
            TransactionSynchronizationRegistry registry,
            Supplier<EntityManager> outsideTransactions) {
        return (EntityManager) Proxy.newProxyInstance(
                EntityManager.class.getClassLoader(),
                new Class<?>[] {EntityManager.class},
                new TransactionScopedEntityManager(persistenceUnit, registry, outsideTransactions));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "TransactionScopedEntityManager[" + persistenceUnit + "]";
            };
        }
        if (method.getName().equals("close")) {
            throw new IllegalStateException("the container closes a container-managed EntityManager");
        }
        try {
            return method.invoke(current(), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private EntityManager current() {
        if (registry.getTransactionKey() == null) {
            return outsideTransactions.get();
        }
        EntityManager bound = (EntityManager) registry.getResource(persistenceUnit);
        if (bound == null) {
            EntityManager created = persistenceUnit.createEntityManager(SynchronizationType.SYNCHRONIZED);
            registry.putResource(persistenceUnit, created);
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {}

                @Override
                public void afterCompletion(int status) {
                    created.close();
                }
            });
            bound = created;
        }
        return bound;
    }
}
