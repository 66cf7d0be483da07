package dev.kv.jpa;

import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.entities.BinaryKvEntry;
import dev.kv.entities.JsonValueConverter;
import dev.kv.entities.KvEntry;
import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import java.net.URL;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.hibernate.jpa.HibernatePersistenceProvider;

/**
 * The resource-local persistence unit of one Java SE store: the entity of its value format, mapped
 * to its table, on its DataSource. Built in code, so a store needs no persistence.xml.
 */
final class KvPersistenceUnit implements PersistenceUnitInfo {

    private final KvConfig config;
    private final DataSource dataSource;

    KvPersistenceUnit(KvConfig config, DataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
    }

    static Class<?> entityClass(ValueFormat format) {
        return format == ValueFormat.JSONB ? KvEntry.class : BinaryKvEntry.class;
    }

    @Override
    public String getPersistenceUnitName() {
        return "kv-" + config.schema() + "." + config.table();
    }

    @Override
    public String getPersistenceProviderClassName() {
        return HibernatePersistenceProvider.class.getName();
    }

    /** Jakarta Persistence 3.2; no CDI scope for a unit built in code. */
    public String getScopeAnnotationName() {
        return null;
    }

    /** Jakarta Persistence 3.2; no CDI qualifiers for a unit built in code. */
    public List<String> getQualifierAnnotationNames() {
        return List.of();
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
        return PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public DataSource getJtaDataSource() {
        return null;
    }

    @Override
    public DataSource getNonJtaDataSource() {
        return dataSource;
    }

    @Override
    public List<String> getMappingFileNames() {
        return List.of();
    }

    @Override
    public List<URL> getJarFileUrls() {
        return List.of();
    }

    @Override
    public URL getPersistenceUnitRootUrl() {
        return null;
    }

    @Override
    public List<String> getManagedClassNames() {
        return List.of(entityClass(config.format()).getName(), JsonValueConverter.class.getName());
    }

    @Override
    public boolean excludeUnlistedClasses() {
        return true;
    }

    @Override
    public SharedCacheMode getSharedCacheMode() {
        return SharedCacheMode.NONE;
    }

    @Override
    public ValidationMode getValidationMode() {
        return ValidationMode.NONE;
    }

    @Override
    public Properties getProperties() {
        Properties properties = new Properties();
        properties.put("hibernate.physical_naming_strategy", new TableNamingStrategy(config.table()));
        properties.put("hibernate.default_schema", config.schema());
        properties.put("hibernate.hbm2ddl.auto", config.validateSchema() ? "validate" : "none");
        // kv's own unit caches nothing: Hibernate would otherwise start any region factory it finds (e.g.
        // hibernate-jcache, whose provider may be kv itself, opening this unit again).
        properties.put("hibernate.cache.use_second_level_cache", "false");
        properties.put("hibernate.cache.use_query_cache", "false");
        return properties;
    }

    @Override
    public String getPersistenceXMLSchemaVersion() {
        return "3.0";
    }

    @Override
    public ClassLoader getClassLoader() {
        return KvPersistenceUnit.class.getClassLoader();
    }

    @Override
    public void addTransformer(ClassTransformer transformer) {
        // Entities are not enhanced.
    }

    @Override
    public ClassLoader getNewTempClassLoader() {
        return null;
    }
}
