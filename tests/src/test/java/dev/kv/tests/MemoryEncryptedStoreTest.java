package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.DecryptionException;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.contract.KvStoreContract;
import dev.kv.memory.MemoryKvStore;
import dev.kv.memory.MemoryKvStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract on an in-memory BYTEA store configured with an encryptor ({@link KvConfig.Builder#encryptor}):
 * encryption changes no behaviour.
 */
class MemoryEncryptedStoreTest extends KvStoreContract {

    @TempDir
    Path directory;

    @Override
    protected KvStore open(KvConfig.Builder settings) {
        return MemoryKvStores.open(settings.format(ValueFormat.BYTEA)
                .encryptor(PostgresEncryptedStoreTest.ENCRYPTOR)
                .build());
    }

    /** Nothing to delete: every store this class opens starts empty. */
    @Override
    protected void deleteAllEntries() {}

    @Test
    void theStoreKeepsOnlyCiphertextAndSnapshotsIt() {
        byte[] secret = "card 4111-1111-1111-1111".getBytes(StandardCharsets.UTF_8);
        Path file = directory.resolve("kv.snapshot.gz");
        try (MemoryKvStore encrypted = (MemoryKvStore) openTracked(KvConfig.builder());
                MemoryKvStore plain = MemoryKvStores.open(
                        KvConfig.builder().format(ValueFormat.BYTEA).build())) {
            encrypted.set("payment:1", secret);
            encrypted.snapshot(file);
            plain.restore(file);
            byte[] stored = plain.get("payment:1").orElseThrow();
            assertThat(stored).isNotEqualTo(secret);
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("4111");
            assertThat(plain.encrypted(PostgresEncryptedStoreTest.ENCRYPTOR).get("payment:1"))
                    .hasValueSatisfying(value -> assertThat(value).isEqualTo(secret));
            assertThat(encrypted.get("payment:1"))
                    .hasValueSatisfying(value -> assertThat(value).isEqualTo(secret));
            assertThat(encrypted.config().encryptor()).contains(PostgresEncryptedStoreTest.ENCRYPTOR);
            assertThat(encrypted).isEqualTo(encrypted).isNotEqualTo(plain);
        }
    }

    @Test
    void aCiphertextRestoredIntoAStoreOfAnotherTableDoesNotDecrypt() {
        Path file = directory.resolve("kv.snapshot.gz");
        try (MemoryKvStore encrypted = (MemoryKvStore) openTracked(KvConfig.builder());
                MemoryKvStore other = MemoryKvStores.open(KvConfig.builder()
                        .format(ValueFormat.BYTEA)
                        .table("other")
                        .build())) {
            encrypted.set("payment:1", "secret".getBytes(StandardCharsets.UTF_8));
            encrypted.snapshot(file);
            other.restore(file);
            assertThat(other.get("payment:1")).isPresent();
            assertThatThrownBy(() -> other.encrypted(PostgresEncryptedStoreTest.ENCRYPTOR)
                            .get("payment:1"))
                    .isInstanceOf(DecryptionException.class);
        }
    }
}
