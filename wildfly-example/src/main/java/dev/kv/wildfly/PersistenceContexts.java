package dev.kv.wildfly;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Exposes the application's transaction-scoped EntityManager as a CDI bean: kv's stores run their
 * SQL on its connection, inside the caller's JTA transaction.
 */
@ApplicationScoped
public class PersistenceContexts {

    @Produces
    @PersistenceContext(unitName = "kv")
    private EntityManager entityManager;
}
