package dev.kv.wildfly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kv.contract.cdi.ContractRun;
import org.hibernate.Version;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole contract kit inside WildFly, on its Hibernate ORM 6.6 and JTA: the same cases every Java
 * SE face runs. Arquillian runs this one test in the server, and the test runs {@link
 * WildFlyStoreContract} there, nested classes and all, through the JUnit Platform.
 */
@ExtendWith(ArquillianExtension.class)
class KvStoreContractIT {

    @Deployment
    static WebArchive deployment() {
        return Deployments.war(KvStoreContractIT.class, WildFlyStoreContract.class);
    }

    @Test
    void theContractHoldsOnWildFlysHibernate66() {
        assertTrue(Version.getVersionString().startsWith("6.6."), Version.getVersionString());
        ContractRun run = ContractRun.of(WildFlyStoreContract.class);
        System.out.println("kv contract in WildFly: " + run.report());
        assertTrue(run.started() > 0, "no contract case ran");
        assertTrue(run.failures().isEmpty(), run::report);
        assertEquals(run.started(), run.succeeded() + run.aborted().size(), run::report);
    }
}
