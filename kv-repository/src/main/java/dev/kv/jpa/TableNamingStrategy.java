package dev.kv.jpa;

import dev.kv.entities.KvTables;
import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategyStandardImpl;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;

/** Maps the entities' default table to the table of one store; every other name stays as it is. */
final class TableNamingStrategy extends PhysicalNamingStrategyStandardImpl {

    private static final long serialVersionUID = 1L;

    private final String table;

    TableNamingStrategy(String table) {
        this.table = table;
    }

    @Override
    public Identifier toPhysicalTableName(Identifier name, JdbcEnvironment environment) {
        return name != null && name.getText().equals(KvTables.DEFAULT_TABLE) ? Identifier.toIdentifier(table) : name;
    }
}
