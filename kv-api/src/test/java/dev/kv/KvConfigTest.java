package dev.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.crypto.AesGcmEncryptor;
import java.time.Duration;
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
        assertThat(config.cleanupStrategy())
                .isEqualTo(KvConfig.DEFAULT_CLEANUP_STRATEGY)
                .isEqualTo(CleanupStrategy.MANUAL);
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
                .cleanupPause(Duration.ofMillis(25))
                .cleanupStrategy(CleanupStrategy.ON_READ)
                .applicationName("shop")
                .runMigrations(true)
                .validateSchema(false)
                .changeStream(true)
                .build();
        assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
        assertThat(config.toBuilder().build().changeStream()).isTrue();
        assertThat(config.toString())
                .contains(
                        "schema=app",
                        "table=sessions",
                        "format=BYTEA",
                        "unlogged=true",
                        "maxKeyBytes=100",
                        "cleanupBatchSize=7",
                        "cleanupPause=PT0.025S",
                        "cleanupStrategy=ON_READ",
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
        assertThatThrownBy(() -> KvConfig.builder().cleanupStrategy(null))
                .hasMessage("cleanupStrategy must not be null");
        assertThatThrownBy(() -> KvConfig.builder().cleanupPause(Duration.ofMillis(-1)))
                .hasMessage("cleanupPause must be between zero and one minute, but was PT-0.001S");
        assertThatThrownBy(() -> KvConfig.builder().cleanupPause(Duration.ofMinutes(2)))
                .hasMessage("cleanupPause must be between zero and one minute, but was PT2M");
        assertThat(KvConfig.defaults().cleanupPause())
                .isEqualTo(KvConfig.DEFAULT_CLEANUP_PAUSE)
                .isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void timeoutsAndThePoolHaveProtectiveDefaults() {
        KvConfig config = KvConfig.defaults();
        assertThat(config.lockTimeout())
                .isEqualTo(KvConfig.DEFAULT_LOCK_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(config.statementTimeout())
                .isEqualTo(KvConfig.DEFAULT_STATEMENT_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(60));
        assertThat(config.transactionTimeout())
                .isEqualTo(KvConfig.DEFAULT_TRANSACTION_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(config.poolSize()).isEqualTo(KvConfig.DEFAULT_POOL_SIZE).isEqualTo(10);
        assertThat(config.connectionTimeout())
                .isEqualTo(KvConfig.DEFAULT_CONNECTION_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void timeoutsAreCopiedPrintedAndZeroMeansNone() {
        KvConfig config = KvConfig.builder()
                .lockTimeout(Duration.ofMillis(1500))
                .statementTimeout(Duration.ZERO)
                .transactionTimeout(Duration.ofSeconds(3))
                .poolSize(4)
                .connectionTimeout(Duration.ofMillis(250))
                .build();
        assertThat(config.toBuilder().build().toString()).isEqualTo(config.toString());
        assertThat(config.toString())
                .contains(
                        "lockTimeout=PT1.5S",
                        "statementTimeout=PT0S",
                        "transactionTimeout=PT3S",
                        "poolSize=4",
                        "connectionTimeout=PT0.25S");
    }

    @Test
    void timeoutsOutOfRangeNameThemselves() {
        assertThatThrownBy(() -> KvConfig.builder().lockTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lockTimeout must be zero (none) or between 1ms and 1 day, but was PT-0.001S");
        assertThatThrownBy(() -> KvConfig.builder().statementTimeout(Duration.ofNanos(1)))
                .hasMessage("statementTimeout must be zero (none) or between 1ms and 1 day, but was PT0.000000001S");
        assertThatThrownBy(() -> KvConfig.builder().transactionTimeout(null))
                .hasMessage("transactionTimeout must be zero (none) or between 1ms and 1 day, but was null");
        assertThatThrownBy(() -> KvConfig.builder().transactionTimeout(Duration.ofDays(2)))
                .hasMessage("transactionTimeout must be zero (none) or between 1ms and 1 day, but was PT48H");
        assertThatThrownBy(() -> KvConfig.builder().poolSize(0))
                .hasMessage("poolSize must be between 1 and 1000, but was 0");
        assertThatThrownBy(() -> KvConfig.builder().connectionTimeout(Duration.ofMillis(249)))
                .hasMessage("connectionTimeout must be between 250ms and 1 day, but was PT0.249S");
    }

    @Test
    void anEncryptorNeedsTheByteaFormatAndIsPrintedWithoutItsKeys() {
        Encryptor encryptor = AesGcmEncryptor.builder().key("k1", new byte[32]).build();
        assertThatThrownBy(() -> KvConfig.builder().encryptor(encryptor).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("encryptor needs format BYTEA (ciphertext is not JSON), but format is JSONB:"
                        + " set format(ValueFormat.BYTEA) or no encryptor");
        KvConfig config = KvConfig.builder()
                .format(ValueFormat.BYTEA)
                .encryptor(encryptor)
                .build();
        assertThat(config.encryptor()).contains(encryptor);
        assertThat(config.toBuilder().build().encryptor()).contains(encryptor);
        assertThat(config.toString()).contains("encryptor=AesGcmEncryptor[currentKeyId=k1]");
        assertThat(KvConfig.defaults().encryptor()).isEmpty();
        assertThat(KvConfig.defaults().toString()).contains("encryptor=none");
    }

    @Test
    void anEncryptorMustLeaveRoomForItsOverhead() {
        Encryptor encryptor = AesGcmEncryptor.builder().key("k1", new byte[32]).build();
        assertThatThrownBy(() -> KvConfig.builder()
                        .format(ValueFormat.BYTEA)
                        .limits(new Limits(10, Limits.MAX_VALUE_BYTES_LIMIT))
                        .encryptor(encryptor)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("encryptor adds up to " + encryptor.overhead()
                        + " bytes to each value: limits.maxValueBytes must be at most "
                        + (Limits.MAX_VALUE_BYTES_LIMIT - encryptor.overhead()) + ", but was "
                        + Limits.MAX_VALUE_BYTES_LIMIT);
    }
}
