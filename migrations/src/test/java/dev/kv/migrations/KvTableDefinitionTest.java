package dev.kv.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import org.junit.jupiter.api.Test;

class KvTableDefinitionTest {

    @Test
    void theTableDefinitionFollowsTheConfiguration() {
        var table = KvTableDefinition.of(KvConfig.builder()
                .schema("app")
                .table("flags")
                .format(ValueFormat.BYTEA)
                .unlogged(true)
                .changeStream(true)
                .build());
        assertThat(table.schema()).isEqualTo("app");
        assertThat(table.table()).isEqualTo("flags");
        assertThat(table.valueType()).isEqualTo("bytea");
        assertThat(table.unlogged()).isTrue();
        assertThat(table.changeStream()).isTrue();
    }
}
