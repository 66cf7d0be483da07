package dev.kv.jpa;

import dev.kv.entities.KvTables;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;

/** Maps the entities' default table to the table of one store; every other name stays as it is. */
final class TableNamingStrategy implements PhysicalNamingStrategy {

    private final String table;

    TableNamingStrategy(String table) {
        this.table = table;
    }

    @Override
    public Identifier toPhysicalTableName(Identifier name, JdbcEnvironment environment) {
        return name != null && name.getText().equals(KvTables.DEFAULT_TABLE) ? Identifier.toIdentifier(table) : name;
    }

    @Override
    public Identifier toPhysicalCatalogName(Identifier name, JdbcEnvironment environment) {
        return name;
    }

    @Override
    public Identifier toPhysicalSchemaName(Identifier name, JdbcEnvironment environment) {
        return name;
    }

    @Override
    public Identifier toPhysicalSequenceName(Identifier name, JdbcEnvironment environment) {
        return name;
    }

    @Override
    public Identifier toPhysicalColumnName(Identifier name, JdbcEnvironment environment) {
        return name;
    }
}
