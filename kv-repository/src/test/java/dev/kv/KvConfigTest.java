package dev.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.migrations.InvalidIdentifierException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KvConfigTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kv; DROP TABLE users",
                "kv\"",
                "Kv",
                "1kv",
                "kv-entry",
                "kv entry",
                "",
                "kv.entry",
                "ключ",
                "a23456789012345678901234567890123456789012345678x"
            })
    void tableNamesThatAreNotPlainIdentifiersAreRefused(String table) {
        assertThatThrownBy(() -> KvConfig.builder().table(table))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessageStartingWith(
                        "table must be 1 to 48 characters of a-z, 0-9 and _, not starting with a digit, but was \"");
    }

    @Test
    void schemaNamesAreCheckedTheSameWay() {
        assertThatThrownBy(() -> KvConfig.builder().schema("public\"; --"))
                .isInstanceOf(InvalidIdentifierException.class)
                .hasMessage(
                        "schema must be 1 to 48 characters of a-z, 0-9 and _, not starting with a digit, but was \"public\"; --\"");
        assertThatThrownBy(() -> KvConfig.builder().schema(null)).hasMessage("schema must not be null");
    }

    @Test
    void controlCharactersInARefusedNameArePrintedEscaped() {
        assertThatThrownBy(() -> KvConfig.builder().table("a\nb")).hasMessageEndingWith("but was \"a\\u000ab\"");
    }

    @Test
    void defaultsAreDocumentedConstants() {
        KvConfig config = KvConfig.defaults();
        assertThat(config.schema()).isEqualTo(KvConfig.DEFAULT_SCHEMA);
        assertThat(config.table()).isEqualTo("kv_entry");
        assertThat(config.format()).isEqualTo(ValueFormat.JSONB);
        assertThat(config.limits()).isEqualTo(Limits.DEFAULT);
        assertThat(config.validateSchema()).isTrue();
        assertThat(config.runMigrations()).isFalse();
        assertThat(config.changeStream()).isFalse();
    }

    @Test
    void toBuilderCopiesEverySetting() {
        KvConfig config = KvConfig.builder()
                .schema("app")
                .table("sessions")
                .format(ValueFormat.BYTEA)
                .unlogged(true)
                .limits(new Limits(100, 200))
                .cleanupBatchSize(7)
                .applicationName("shop")
                .runMigrations(true)
                .validateSchema(false)
                .changeStream(true)
                .build();
        assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
        assertThat(config.toBuilder().build().tableDefinition().changeStream()).isTrue();
        assertThat(config.toString())
                .contains(
                        "schema=app",
                        "table=sessions",
                        "format=BYTEA",
                        "unlogged=true",
                        "maxKeyBytes=100",
                        "cleanupBatchSize=7",
                        "applicationName=shop",
                        "changeStream=true");
    }

    @Test
    void otherSettingsNameThemselvesWhenRefused() {
        assertThatThrownBy(() -> KvConfig.builder().cleanupBatchSize(0))
                .hasMessage("cleanupBatchSize must be between 1 and 100000, but was 0");
        assertThatThrownBy(() -> KvConfig.builder().applicationName("a\u0001"))
                .hasMessageStartingWith("applicationName must be 1 to 63 printable ASCII characters");
        assertThatThrownBy(() -> KvConfig.builder().format(null)).hasMessage("format must not be null");
    }

    @Test
    void theTableDefinitionFollowsTheConfiguration() {
        var table = KvConfig.builder()
                .schema("app")
                .table("flags")
                .format(ValueFormat.BYTEA)
                .unlogged(true)
                .build()
                .tableDefinition();
        assertThat(table.schema()).isEqualTo("app");
        assertThat(table.table()).isEqualTo("flags");
        assertThat(table.valueType()).isEqualTo("bytea");
        assertThat(table.unlogged()).isTrue();
    }
}
