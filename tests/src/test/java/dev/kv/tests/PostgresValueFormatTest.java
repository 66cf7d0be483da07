package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kv.InvalidValueException;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.jpa.JpaKvStores;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What each value format keeps: JSONB the JSON value, queryable in SQL; BYTEA every byte. */
class PostgresValueFormatTest {

    private static HikariDataSource pool;
    private static KvStore json;
    private static KvStore bytes;

    @BeforeAll
    static void open() {
        pool = TestDatabase.get().newPool("formats", 4);
        json = JpaKvStores.open(
                pool,
                KvConfig.builder().table("format_jsonb").runMigrations(true).build());
        bytes = JpaKvStores.open(
                pool,
                KvConfig.builder()
                        .table("format_bytea")
                        .format(ValueFormat.BYTEA)
                        .runMigrations(true)
                        .build());
    }

    @AfterAll
    static void close() {
        json.close();
        bytes.close();
        pool.close();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonbRefusesInvalidJsonAndKeepsThePreviousValue() {
        json.set("doc", utf8("{\"ok\": true}"));
        assertThatThrownBy(() -> json.set("doc", utf8("{\"ok\": tru")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value is not JSON");
        assertThatThrownBy(() -> json.set("doc", utf8("\"nul \\u0000 inside\"")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value is not valid for jsonb: \\u0000");
        assertThat(new String(json.get("doc").orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{\"ok\": true}");
    }

    @Test
    void jsonbKeepsTheJsonValueNotItsBytes() {
        json.set("doc", utf8("{ \"b\":1,\"a\" : [1,2], \"a\": \"last wins\" }"));
        assertThat(new String(json.get("doc").orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\": \"last wins\", \"b\": 1}");
    }

    @Test
    void jsonbValuesAreQueryableWithSql() {
        json.set("user:1", utf8("{\"name\": \"ada\", \"age\": 36}"));
        assertThat(PostgresQueries.column(
                        pool, "SELECT value ->> 'name' FROM format_jsonb WHERE (value ->> 'age')::int > 30"))
                .containsExactly("ada");
    }

    @Test
    void byteaReturnsEveryByteAsStored() {
        byte[] value = {0, 1, (byte) 0xFF, (byte) 0xC3, 0x28, 0, '{'};
        bytes.set("blob", value);
        assertThat(bytes.get("blob"))
                .hasValueSatisfying(read -> assertThat(read).containsExactly(value));
        bytes.set("empty", new byte[0]);
        assertThat(bytes.get("empty"))
                .hasValueSatisfying(read -> assertThat(read).isEmpty());
    }
}
