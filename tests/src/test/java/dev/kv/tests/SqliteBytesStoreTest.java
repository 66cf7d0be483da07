package dev.kv.tests;

import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.contract.KvStoreContract;
import dev.kv.jpa.SqliteKvStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on SQLite, byte values in a BLOB column, in a temporary file. */
class SqliteBytesStoreTest extends KvStoreContract {

    private static SqliteFiles file;

    @BeforeAll
    static void createFile() {
        file = new SqliteFiles("contract_bytes", ValueFormat.BYTEA);
    }

    @AfterAll
    static void deleteFile() {
        file.close();
    }

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        return SqliteKvStores.open(file.pool, file.apply(settings).build());
    }

    @Override
    protected void deleteAllEntries() {
        file.deleteAllEntries();
    }
}
