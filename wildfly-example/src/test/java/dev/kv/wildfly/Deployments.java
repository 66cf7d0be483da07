package dev.kv.wildfly;

import dev.kv.contract.KvStoreContract;
import dev.kv.contract.cdi.InjectedStoreContract;
import dev.kv.testing.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.hamcrest.Matcher;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The test deployment: the application's real WAR, as the build packaged it, plus a datasource
 * ({@code WEB-INF/kv-ds.xml}) on the test database, whose address is only known at run time, test
 * settings (a short cleanup interval, a small value limit, a low rate limit), and the test kit: the
 * contract, the helpers the container tests share, and the libraries they use (JUnit itself comes
 * with Arquillian).
 */
final class Deployments {

    private static final String CONFIG = "WEB-INF/classes/META-INF/microprofile-config.properties";

    private Deployments() {}

    /** How a test class wants the application set up. */
    enum Setup {
        /** The cleanup timer runs every second. */
        IN_CONTAINER(true, ""),
        /** No cleanup timer; a row lock waited for longer than a second fails the statement. */
        HTTP(false, "SET lock_timeout = '1s'");

        final boolean cleanup;
        final String newConnectionSql;

        Setup(boolean cleanup, String newConnectionSql) {
            this.cleanup = cleanup;
            this.newConnectionSql = newConnectionSql;
        }
    }

    static WebArchive war(Class<?>... testClasses) {
        return war(Setup.IN_CONTAINER, testClasses);
    }

    static WebArchive war(Setup setup, Class<?>... testClasses) {
        File built = new File(System.getProperty("kv.war", "target/wildfly-example.war"));
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, built);
        war.delete(CONFIG);
        war.addAsResource(new StringAsset(config(setup.cleanup)), "META-INF/microprofile-config.properties");
        war.addAsWebInfResource(new StringAsset(datasource(TestPostgres.get(), setup.newConnectionSql)), "kv-ds.xml");
        war.addClasses(testClasses);
        for (Class<?> library : new Class<?>[] {
            KvStoreContract.class, InjectedStoreContract.class, Assertions.class, Awaitility.class, Matcher.class
        }) {
            war.addAsLibrary(libraryOf(library));
        }
        return war;
    }

    /** The jar on the test class path that holds {@code type} (its classes, in a build that did not package it). */
    private static JavaArchive libraryOf(Class<?> type) {
        File location;
        try {
            location = new File(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (location.isDirectory()) {
            return ShrinkWrap.create(JavaArchive.class, type.getSimpleName() + "-classes.jar")
                    .as(ExplodedImporter.class)
                    .importDirectory(location)
                    .as(JavaArchive.class);
        }
        return ShrinkWrap.createFromZipFile(JavaArchive.class, location);
    }

    private static String config(boolean cleanup) {
        Properties config = new Properties();
        try (Reader application =
                Files.newBufferedReader(Path.of("src/main/resources/META-INF/microprofile-config.properties"))) {
            config.load(application);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        config.setProperty("kv.cleanup.enabled", Boolean.toString(cleanup));
        config.setProperty("kv.cleanup.interval", "PT1S");
        config.setProperty("kv.cleanup.stores", "default,blobs,ratelimits");
        config.setProperty("kv.stores.cleanuprace.cleanup-batch-size", "50");
        config.setProperty("kv.stores.default.max-value-bytes", "65536");
        config.setProperty("kv.stores.blobs.max-value-bytes", "65536");
        config.setProperty("kv.example.rate-limit.requests", "3");
        config.setProperty("kv.example.rate-limit.window", "PT1H");
        StringWriter text = new StringWriter();
        try {
            config.store(text, "the application's settings with the tests' changes");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static String datasource(TestPostgres database, String newConnectionSql) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <datasources xmlns="http://www.jboss.org/ironjacamar/schema">
                  <datasource jndi-name="java:jboss/datasources/KvDS" pool-name="KvTestDS" enabled="true">
                    <connection-url>%s</connection-url>
                    <driver>postgresql.jar</driver>
                    %s
                    <pool>
                      <max-pool-size>30</max-pool-size>
                    </pool>
                    <security>
                      <user-name>%s</user-name>
                      <password>%s</password>
                    </security>
                  </datasource>
                </datasources>
                """
                .formatted(
                        xml(database.jdbcUrl()),
                        newConnectionSql.isEmpty()
                                ? ""
                                : "<new-connection-sql>" + xml(newConnectionSql) + "</new-connection-sql>",
                        xml(database.user()),
                        xml(database.password()));
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
