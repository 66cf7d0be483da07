package dev.kv.cdi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CleanupStrategy;
import dev.kv.Encryptor;
import dev.kv.Expiry;
import dev.kv.KvConfig;
import dev.kv.ValueFormat;
import dev.kv.cdi.KvSettings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicroProfileKvSettingsTest {

    private SmallRyeConfig config;

    /** Settings reading {@code properties} as the class loader's MicroProfile Config. */
    private MicroProfileKvSettings settings(Map<String, String> properties) {
        releaseConfig();
        config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        ConfigProviderResolver.instance().registerConfig(config, getClass().getClassLoader());
        return new MicroProfileKvSettings();
    }

    @AfterEach
    void releaseConfig() {
        if (config != null) {
            ConfigProviderResolver.instance().releaseConfig(config);
            config = null;
        }
    }

    @Test
    void withoutPropertiesTheDefaultStoreUsesKvEntryAndANamedStoreItsOwnTable() {
        MicroProfileKvSettings settings = settings(Map.of());
        KvConfig defaults = settings.store(KvSettings.DEFAULT_STORE);
        assertThat(defaults.schema()).isEqualTo("public");
        assertThat(defaults.table()).isEqualTo("kv_entry");
        assertThat(defaults.format()).isEqualTo(ValueFormat.JSONB);
        assertThat(defaults.runMigrations()).isFalse();
        assertThat(settings.store("sessions").table()).isEqualTo("kv_sessions");
        assertThat(settings.cleanup()).isEqualTo(KvSettings.Cleanup.DEFAULT);
    }

    @Test
    void aStoreHasADefaultTtlOrADefaultIdleExpiryButNotBoth() {
        assertThat(settings(Map.of()).store("sessions").defaultExpiry()).isEqualTo(Expiry.never());
        assertThat(settings(Map.of("kv.stores.sessions.default-ttl", "PT30M"))
                        .store("sessions")
                        .defaultExpiry())
                .isEqualTo(Expiry.after(Duration.ofMinutes(30)));
        assertThat(settings(Map.of("kv.stores.sessions.default-max-idle", "PT15M"))
                        .store("sessions")
                        .defaultExpiry())
                .isEqualTo(Expiry.idle(Duration.ofMinutes(15)));
        MicroProfileKvSettings both = settings(
                Map.of("kv.stores.sessions.default-ttl", "PT1M", "kv.stores.sessions.default-max-idle", "PT1M"));
        assertThatThrownBy(() -> both.store("sessions"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default-ttl and kv.stores.sessions.default-max-idle are both set");
        MicroProfileKvSettings zero = settings(Map.of("kv.stores.sessions.default-max-idle", "PT0S"));
        assertThatThrownBy(() -> zero.store("sessions"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kv.stores.sessions.default-max-idle is invalid: \"PT0S\"");
    }

    @Test
    void everyStorePropertyIsApplied() {
        KvConfig sessions = settings(Map.of(
                        "kv.stores.sessions.schema", "app",
                        "kv.stores.sessions.table", "http_sessions",
                        "kv.stores.sessions.format", "BYTEA",
                        "kv.stores.sessions.unlogged", "true",
                        "kv.stores.sessions.max-key-bytes", "200",
                        "kv.stores.sessions.max-value-bytes", "4096",
                        "kv.stores.sessions.cleanup-batch-size", "50",
                        "kv.stores.sessions.cleanup-pause", "PT0.02S",
                        "kv.stores.sessions.cleanup-strategy", "ON-READ"))
                .store("sessions");
        assertThat(sessions.schema()).isEqualTo("app");
        assertThat(sessions.table()).isEqualTo("http_sessions");
        assertThat(sessions.format()).isEqualTo(ValueFormat.BYTEA);
        assertThat(sessions.unlogged()).isTrue();
        assertThat(sessions.limits().maxKeyBytes()).isEqualTo(200);
        assertThat(sessions.limits().maxValueBytes()).isEqualTo(4096);
        assertThat(sessions.cleanupBatchSize()).isEqualTo(50);
        assertThat(sessions.cleanupPause()).isEqualTo(Duration.ofMillis(20));
        assertThat(sessions.cleanupStrategy()).isEqualTo(CleanupStrategy.ON_READ);
        assertThat(sessions.encryptor()).isEmpty();
    }

    private static String key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return Base64.getEncoder().encodeToString(key);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encryptionKeysGiveAnEncryptorThatEncryptsWithTheLastKeyUnlessCurrentNamesAnother() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "kv.stores.s.format", "bytea", "kv.stores.s.encryption.keys", "old:" + key(1) + ", new:" + key(2)));
        Encryptor latest = settings(properties).store("s").encryptor().orElseThrow();
        assertThat(latest.currentKeyId()).isEqualTo("new");
        byte[] sealed = latest.encrypt(bytes("secret"), bytes("k"));
        properties.put("kv.stores.s.encryption.current", "old");
        Encryptor pinned = settings(properties).store("s").encryptor().orElseThrow();
        assertThat(pinned.currentKeyId()).isEqualTo("old");
        assertThat(pinned.decrypt(sealed, bytes("k"))).isEqualTo(bytes("secret"));
        assertThat(pinned.keyIdOf(pinned.encrypt(bytes("secret"), bytes("k")))).isEqualTo("old");
    }

    @Test
    void refusedEncryptionSettingsNameThePropertyAndNeverTheKeyMaterial() {
        String key = key(7);
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        Map<Map<String, String>, String> refused = Map.of(
                Map.of("kv.stores.s.encryption.keys", "a" + key),
                "kv.stores.s.encryption.keys is invalid: entry 1 is not of the form id:base64-key",
                Map.of("kv.stores.s.encryption.keys", "a:" + key + "%"),
                "kv.stores.s.encryption.keys is invalid: key \"a\" is not Base64",
                Map.of("kv.stores.s.encryption.keys", "a:" + shortKey),
                "kv.stores.s.encryption.keys is invalid: key \"a\" must be 32 bytes (AES-256), but was 16 bytes",
                Map.of("kv.stores.s.encryption.keys", "a:" + key + ",a:" + key),
                "kv.stores.s.encryption.keys is invalid: key id \"a\" was already added",
                Map.of("kv.stores.s.encryption.keys", "a:" + key, "kv.stores.s.encryption.current", "b"),
                "kv.stores.s.encryption.current is invalid: \"b\" (current key \"b\" was not added; keys: [a])",
                Map.of("kv.stores.s.encryption.current", "a"),
                "kv.stores.s.encryption.current is set, but kv.stores.s.encryption.keys is not");
        refused.forEach((properties, message) -> {
            Map<String, String> withBytea = new HashMap<>(properties);
            withBytea.put("kv.stores.s.format", "bytea");
            assertThatThrownBy(() -> settings(withBytea).store("s"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(message)
                    .satisfies(e -> assertThat(e.toString() + e.getCause()).doesNotContain(key));
        });
        assertThatThrownBy(() -> settings(Map.of("kv.stores.s.encryption.keys", "a:" + key))
                        .store("s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "kv.stores.s.encryption.keys needs kv.stores.s.format=bytea: encrypted values are not JSON");
    }

    @Test
    void cleanupPropertiesAreApplied() {
        KvSettings.Cleanup cleanup = settings(Map.of(
                        "kv.cleanup.enabled", "false",
                        "kv.cleanup.interval", "PT30S",
                        "kv.cleanup.stores", "default, sessions"))
                .cleanup();
        assertThat(cleanup)
                .isEqualTo(new KvSettings.Cleanup(false, Duration.ofSeconds(30), List.of("default", "sessions")));
    }

    @Test
    void aRefusedValueIsReportedWithItsPropertyAndValue() {
        assertThatThrownBy(() -> settings(Map.of("kv.stores.s.format", "xml")).store("s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kv.stores.s.format is invalid: \"xml\" (expected jsonb or bytea)");
        assertThatThrownBy(
                        () -> settings(Map.of("kv.stores.s.table", "Sessions")).store("s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("kv.stores.s.table is invalid: \"Sessions\"");
        assertThatThrownBy(() ->
                        settings(Map.of("kv.stores.s.cleanup-batch-size", "0")).store("s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kv.stores.s.cleanup-batch-size is invalid: \"0\""
                        + " (cleanupBatchSize must be between 1 and 100000, but was 0)");
        assertThatThrownBy(() -> settings(Map.of("kv.cleanup.interval", "PT0S")).cleanup())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "kv.cleanup.interval is invalid: \"PT0S\" (kv.cleanup.interval must be positive, but was PT0S)");
        assertThatThrownBy(() -> settings(Map.of("kv.stores.s.unlogged", "yes")).store("s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kv.stores.s.unlogged is invalid: \"yes\" (expected true or false)");
        assertThatThrownBy(() -> settings(Map.of("kv.stores.s.cleanup-strategy", "sometimes"))
                        .store("s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "kv.stores.s.cleanup-strategy is invalid: \"sometimes\" (expected manual, on-read or disabled)");
    }
}
