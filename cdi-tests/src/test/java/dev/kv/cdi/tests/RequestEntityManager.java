package dev.kv.cdi.tests;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

/**
 * The persistence context a container gives a request outside any transaction: created on first
 * use, closed when the request ends.
 */
@RequestScoped
class RequestEntityManager {

    @Inject
    EntityManagerFactory persistenceUnit;

    private EntityManager entityManager;

    EntityManager entityManager() {
        if (entityManager == null) {
            entityManager = persistenceUnit.createEntityManager();
        }
        return entityManager;
    }

    @PreDestroy
    void close() {
        if (entityManager != null) {
            entityManager.close();
        }
    }
}
