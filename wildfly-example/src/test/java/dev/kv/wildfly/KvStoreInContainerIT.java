package dev.kv.wildfly;

import dev.kv.contract.cdi.InjectedStoreBehaviour;
import jakarta.annotation.Resource;
import javax.sql.DataSource;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Inside WildFly, what the injected stores do beyond the contract ({@link InjectedStoreBehaviour}):
 * configuration by name, JTA participation, row locks, change events, and the EJB timer as the
 * scheduled cleanup.
 */
@ExtendWith(ArquillianExtension.class)
class KvStoreInContainerIT extends InjectedStoreBehaviour {

    @Deployment
    static WebArchive deployment() {
        return Deployments.war(KvStoreInContainerIT.class);
    }

    @Resource(lookup = "java:jboss/datasources/KvDS")
    DataSource dataSource;

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }
}
