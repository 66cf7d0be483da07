package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.DecryptionException;
import dev.kv.EncryptedKvStore;
import dev.kv.InvalidValueException;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Limits;
import dev.kv.ValueFormat;
import dev.kv.crypto.AesGcmEncryptor;
import dev.kv.jpa.JpaKvStores;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only the database can show about encryption: it never holds plaintext, and tampering is caught. */
class PostgresEncryptionTest {

    private static final byte[] OLD_KEY = filled(1);
    private static final byte[] NEW_KEY = filled(2);
    private static final String SECRET = "card 4111-1111-1111-1111";

    private static PostgresTables tables;
    private static PostgresTables otherTables;
    private KvStore plain;
    private KvStore otherTable;

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "encrypted", KvConfig.builder().format(ValueFormat.BYTEA).build());
        otherTables = new PostgresTables(
                "encrypted_other", KvConfig.builder().format(ValueFormat.BYTEA).build());
    }

    @AfterAll
    static void dropPool() {
        tables.close();
        otherTables.close();
    }

    @BeforeEach
    void open() {
        tables.deleteAllEntries();
        otherTables.deleteAllEntries();
        plain = JpaKvStores.open(tables.pool, tables.apply(KvConfig.builder()).build());
        otherTable = JpaKvStores.open(
                otherTables.pool, otherTables.apply(KvConfig.builder()).build());
    }

    @AfterEach
    void close() {
        plain.close();
        otherTable.close();
    }

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private EncryptedKvStore encrypted(AesGcmEncryptor encryptor) {
        return plain.encrypted(encryptor);
    }

    private static byte[] rawValue(String key) throws SQLException {
        try (Connection connection = tables.pool.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT value FROM encrypted WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBytes(1);
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void theDatabaseHoldsOnlyCiphertext() throws SQLException {
        EncryptedKvStore store =
                encrypted(AesGcmEncryptor.builder().key("k1", OLD_KEY).build());
        store.set("payment:1", utf8(SECRET));
        store.update("payment:2", current -> utf8(SECRET));
        store.setMany(java.util.Map.of("payment:3", utf8(SECRET)));
        for (String key : new String[] {"payment:1", "payment:2", "payment:3"}) {
            byte[] raw = rawValue(key);
            assertThat(contains(raw, utf8("4111"))).as(key).isFalse();
            assertThat(new String(store.get(key).orElseThrow(), StandardCharsets.UTF_8))
                    .isEqualTo(SECRET);
        }
        assertThat(rawValue("payment:1")).isNotEqualTo(rawValue("payment:3"));
    }

    @Test
    void aStoreConfiguredWithAnEncryptorWritesOnlyCiphertextAndTakesTheLimitsAskedFor() throws SQLException {
        AesGcmEncryptor encryptor = AesGcmEncryptor.builder().key("k1", OLD_KEY).build();
        KvConfig config = tables.apply(KvConfig.builder())
                .limits(new Limits(64, 100))
                .encryptor(encryptor)
                .build();
        try (KvStore store = JpaKvStores.open(tables.pool, config)) {
            assertThat(store.config().toString()).isEqualTo(config.toString());
            store.set("payment:1", utf8(SECRET));
            store.setMany(java.util.Map.of("payment:2", utf8(SECRET)));
            store.set("full", new byte[100]);
            assertThatThrownBy(() -> store.set("too-large", new byte[101])).isInstanceOf(InvalidValueException.class);
            for (String key : new String[] {"payment:1", "payment:2"}) {
                assertThat(contains(rawValue(key), utf8("4111"))).as(key).isFalse();
                assertThat(plain.encrypted(encryptor).get(key))
                        .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8(SECRET)));
                assertThat(store.get(key))
                        .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8(SECRET)));
            }
        }
        assertThat(plain.exists("payment:1")).isTrue();
    }

    @Test
    void closingAStoreConfiguredWithAnEncryptorClosesTheStoreUnderneath() {
        KvConfig config = tables.apply(KvConfig.builder())
                .encryptor(AesGcmEncryptor.builder().key("k1", OLD_KEY).build())
                .build();
        KvStore store = JpaKvStores.open(tables.pool, config);
        store.close();
        assertThatThrownBy(() -> store.get("a")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aTamperedOrTruncatedCiphertextIsADecryptionError() {
        EncryptedKvStore store =
                encrypted(AesGcmEncryptor.builder().key("k1", OLD_KEY).build());
        store.set("a", utf8(SECRET));
        TestDatabase.execute(
                tables.pool,
                "UPDATE encrypted SET value = set_byte(value, length(value) - 1, get_byte(value, length(value) - 1) # 1) WHERE key = 'a'");
        assertThatThrownBy(() -> store.get("a"))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("authentication");
        store.set("b", utf8(SECRET));
        TestDatabase.execute(
                tables.pool, "UPDATE encrypted SET value = substring(value from 1 for 20) WHERE key = 'b'");
        assertThatThrownBy(() -> store.get("b")).isInstanceOf(DecryptionException.class);
    }

    @Test
    void aCiphertextCopiedToAnotherKeyDoesNotDecrypt() {
        EncryptedKvStore store =
                encrypted(AesGcmEncryptor.builder().key("k1", OLD_KEY).build());
        store.set("alice", utf8("alice's secret"));
        store.set("mallory", utf8("nothing"));
        TestDatabase.execute(
                tables.pool,
                "UPDATE encrypted SET value = (SELECT value FROM encrypted WHERE key = 'alice') WHERE key = 'mallory'");
        assertThatThrownBy(() -> store.get("mallory")).isInstanceOf(DecryptionException.class);
    }

    @Test
    void rotationKeepsOldValuesReadableAndReencryptionMovesThemToTheNewKey() throws SQLException {
        EncryptedKvStore before =
                encrypted(AesGcmEncryptor.builder().key("2026-01", OLD_KEY).build());
        for (int i = 0; i < 25; i++) {
            before.set("user:" + i, utf8("secret " + i), Duration.ofHours(1));
        }
        EncryptedKvStore rotated = encrypted(AesGcmEncryptor.builder()
                .key("2026-01", OLD_KEY)
                .key("2026-06", NEW_KEY)
                .build());
        assertThat(rotated.get("user:7"))
                .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("secret 7")));
        rotated.set("user:new", utf8("fresh"));

        assertThat(rotated.reencrypt(10)).isEqualTo(25);
        assertThat(rotated.reencrypt(10)).isZero();
        assertThat(new String(rawValue("user:3"), 2, 7, StandardCharsets.UTF_8)).isEqualTo("2026-06");
        assertThat(plain.ttl("user:3").remaining()).isPresent();

        EncryptedKvStore newOnly =
                encrypted(AesGcmEncryptor.builder().key("2026-06", NEW_KEY).build());
        assertThat(newOnly.get("user:24"))
                .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("secret 24")));
        assertThat(newOnly.getMany(java.util.List.of("user:0", "user:new"))).hasSize(2);
    }

    @Test
    void aValueUnderAnUnknownKeyIsADecryptionError() {
        encrypted(AesGcmEncryptor.builder().key("old", OLD_KEY).build()).set("a", utf8(SECRET));
        EncryptedKvStore other =
                encrypted(AesGcmEncryptor.builder().key("new", NEW_KEY).build());
        assertThatThrownBy(() -> other.get("a"))
                .isInstanceOf(DecryptionException.class)
                .hasMessage("value was encrypted with key \"old\", which this encryptor does not hold");
    }

    @Test
    void encryptionNeedsBinaryValuesAndProperKeys() {
        try (KvStore json = JpaKvStores.open(
                tables.pool,
                KvConfig.builder().table("encrypted_json").runMigrations(true).build())) {
            assertThatThrownBy(() -> json.encrypted(
                            AesGcmEncryptor.builder().key("k", OLD_KEY).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs a BYTEA store");
        }
        assertThatThrownBy(() -> AesGcmEncryptor.builder().key("k", new byte[16]))
                .hasMessage("key \"k\" must be 32 bytes (AES-256), but was 16 bytes");
        assertThatThrownBy(() -> AesGcmEncryptor.builder().build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCiphertextCopiedToTheSameKeyOfAnotherTableDoesNotDecrypt() {
        AesGcmEncryptor encryptor = AesGcmEncryptor.builder().key("k1", OLD_KEY).build();
        plain.encrypted(encryptor).set("alice", utf8("alice's secret"));
        otherTable.set("alice", plain.get("alice").orElseThrow());
        assertThatThrownBy(() -> otherTable.encrypted(encryptor).get("alice"))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("moved from another key or table");
    }

    /** Raw ciphertexts are moved through plain namespaced views, so the test holds whatever a namespace's key encoding. */
    @Test
    void aCiphertextMovedToTheSameKeyOfAnotherNamespaceDoesNotDecryptInEitherOrderOfViews() {
        AesGcmEncryptor encryptor = AesGcmEncryptor.builder().key("k1", OLD_KEY).build();
        KvStore encryptedNamespace = plain.namespace("A").encrypted(encryptor);
        KvStore namespacedEncryption = plain.encrypted(encryptor).namespace("A");
        encryptedNamespace.set("k", utf8("written through namespace(A).encrypted"));
        namespacedEncryption.set("j", utf8("written through encrypted.namespace(A)"));

        for (String key : new String[] {"k", "j"}) {
            plain.namespace("B").set(key, plain.namespace("A").get(key).orElseThrow());
            assertThatThrownBy(() -> plain.namespace("B").encrypted(encryptor).get(key))
                    .as(key)
                    .isInstanceOf(DecryptionException.class);
            assertThatThrownBy(() -> plain.encrypted(encryptor).namespace("B").get(key))
                    .as(key)
                    .isInstanceOf(DecryptionException.class);
            plain.namespace("A", "B").set(key, plain.namespace("A").get(key).orElseThrow());
            assertThatThrownBy(
                            () -> plain.namespace("A", "B").encrypted(encryptor).get(key))
                    .as(key)
                    .isInstanceOf(DecryptionException.class);
            plain.namespace("A")
                    .set("copy-of-" + key, plain.namespace("A").get(key).orElseThrow());
            assertThatThrownBy(() -> encryptedNamespace.get("copy-of-" + key))
                    .as(key)
                    .isInstanceOf(DecryptionException.class);
        }
    }

    @Test
    void bothOrdersOfViewsBindTheFullStoredKeySoEachReadsWhatTheOtherWrote() {
        AesGcmEncryptor encryptor = AesGcmEncryptor.builder().key("k1", OLD_KEY).build();
        KvStore encryptedNamespace = plain.namespace("A", "B").encrypted(encryptor);
        KvStore namespacedEncryption = plain.encrypted(encryptor).namespace("A", "B");
        encryptedNamespace.set("k", utf8("one"));
        namespacedEncryption.setMany(java.util.Map.of("j", utf8("two")));
        encryptedNamespace.inTransaction(store -> {
            store.set("t", utf8("three"));
            return null;
        });

        assertThat(namespacedEncryption.getMany(java.util.List.of("k", "j", "t")))
                .containsOnlyKeys("k", "j", "t");
        assertThat(encryptedNamespace.get("j"))
                .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("two")));
        assertThat(plain.namespace("A").namespace("B").encrypted(encryptor).get("t"))
                .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("three")));
        assertThat(namespacedEncryption.increment("n", 5)).isEqualTo(5);
        assertThat(encryptedNamespace.increment("n", 1)).isEqualTo(6);
    }

    @Test
    void ciphertextsBoundOnlyToTheirKeyStayReadableAndReencryptionBindsThemToTheirLocation() throws Exception {
        AesGcmEncryptor encryptor = AesGcmEncryptor.builder().key("k1", OLD_KEY).build();
        KvStore raw = plain.namespace("A");
        raw.set("k", keyBoundCiphertext("k1", OLD_KEY, utf8("earlier format"), utf8("k")));
        plain.set("direct", keyBoundCiphertext("k1", OLD_KEY, utf8("earlier, unnamespaced"), utf8("direct")));
        EncryptedKvStore store = raw.encrypted(encryptor);
        assertThat(store.get("k")).hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("earlier format")));
        assertThat(encryptor.boundToLocation(raw.get("k").orElseThrow())).isFalse();

        assertThat(store.reencrypt(10)).isEqualTo(1);
        assertThat(plain.encrypted(encryptor).reencrypt(10)).isEqualTo(1);
        assertThat(store.reencrypt(10)).isZero();
        assertThat(encryptor.boundToLocation(raw.get("k").orElseThrow())).isTrue();
        assertThat(raw.get("k").orElseThrow()[0]).isEqualTo((byte) 2);
        assertThat(store.get("k")).hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("earlier format")));
        assertThat(plain.encrypted(encryptor).get("direct"))
                .hasValueSatisfying(value -> assertThat(value).isEqualTo(utf8("earlier, unnamespaced")));

        plain.namespace("B").set("k", raw.get("k").orElseThrow());
        assertThatThrownBy(() -> plain.namespace("B").encrypted(encryptor).get("k"))
                .isInstanceOf(DecryptionException.class);
    }

    /** A ciphertext as AesGcmEncryptor made them before they were bound to their location: format 1. */
    private static byte[] keyBoundCiphertext(String keyId, byte[] key, byte[] plaintext, byte[] associatedData)
            throws Exception {
        byte[] id = utf8(keyId);
        byte[] nonce = new byte[12];
        new java.security.SecureRandom().nextBytes(nonce);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
                javax.crypto.Cipher.ENCRYPT_MODE,
                new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
        cipher.updateAAD(associatedData);
        byte[] sealed = cipher.doFinal(plaintext);
        return java.nio.ByteBuffer.allocate(2 + id.length + nonce.length + sealed.length)
                .put((byte) 1)
                .put((byte) id.length)
                .put(id)
                .put(nonce)
                .put(sealed)
                .array();
    }
}
