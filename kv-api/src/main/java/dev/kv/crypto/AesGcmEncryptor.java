package dev.kv.crypto;

import dev.kv.DecryptionException;
import dev.kv.Encryptor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per value and a 128-bit tag. A ciphertext is
 * {@code [2][key id length][key id][nonce][encrypted value + tag]}; the tag covers the value and
 * where the entry is stored (table and full key), so a changed, truncated or relocated ciphertext fails
 * to decrypt instead of yielding garbage. Format {@code 1}, whose tag covered only the key the encrypted
 * view was given, stays readable until {@link dev.kv.EncryptedKvStore#reencrypt} rewrites it.
 *
 * <pre>{@code
 * AesGcmEncryptor encryptor = AesGcmEncryptor.builder()
 *         .key("2026-01", oldKeyBytes)
 *         .key("2026-06", newKeyBytes)   // the last key added encrypts
 *         .build();
 * }</pre>
 */
public final class AesGcmEncryptor implements Encryptor {

    /** The format of ciphertexts bound to the key the encrypted view was given, before they were bound to their location. */
    private static final byte KEY_BOUND = 1;

    private static final byte LOCATION_BOUND = 2;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKeySpec> keys;
    private final String current;

    private AesGcmEncryptor(Map<String, SecretKeySpec> keys, String current) {
        this.keys = keys;
        this.current = current;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public byte[] encrypt(byte[] plaintext, byte[] associatedData) {
        byte[] keyId = current.getBytes(StandardCharsets.UTF_8);
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(2 + keyId.length + NONCE_BYTES + sealed.length)
                    .put(LOCATION_BOUND)
                    .put((byte) keyId.length)
                    .put(keyId)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every Java platform", e);
        }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext, byte[] associatedData) {
        String keyId = keyIdOf(ciphertext);
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new DecryptionException(
                    "value was encrypted with key \"" + keyId + "\", which this encryptor does not hold", null);
        }
        int offset = 2 + keyId.getBytes(StandardCharsets.UTF_8).length;
        if (ciphertext.length < offset + NONCE_BYTES + TAG_BITS / 8) {
            throw new DecryptionException("ciphertext is truncated", null);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, offset, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(ciphertext, offset + NONCE_BYTES, ciphertext.length - offset - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new DecryptionException(
                    "ciphertext failed authentication: changed, truncated or moved from another key or table", e);
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("ciphertext could not be decrypted", e);
        }
    }

    @Override
    public String currentKeyId() {
        return current;
    }

    @Override
    public String keyIdOf(byte[] ciphertext) {
        return new String(ciphertext, 2, checkedHeader(ciphertext)[1] & 0xFF, StandardCharsets.UTF_8);
    }

    @Override
    public boolean boundToLocation(byte[] ciphertext) {
        return checkedHeader(ciphertext)[0] == LOCATION_BOUND;
    }

    private static byte[] checkedHeader(byte[] ciphertext) {
        if (ciphertext.length < 2
                || (ciphertext[0] != LOCATION_BOUND && ciphertext[0] != KEY_BOUND)
                || ciphertext.length < 2 + (ciphertext[1] & 0xFF)) {
            throw new DecryptionException("value is not a kv ciphertext", null);
        }
        return ciphertext;
    }

    @Override
    public int overhead() {
        int longestId = keys.keySet().stream()
                .mapToInt(id -> id.getBytes(StandardCharsets.UTF_8).length)
                .max()
                .orElse(0);
        return 2 + longestId + NONCE_BYTES + TAG_BITS / 8;
    }

    @Override
    public String toString() {
        return "AesGcmEncryptor[keys=" + keys.keySet() + ", current=" + current + "]";
    }

    /** Collects the keys; the last one added encrypts, all of them decrypt. */
    public static final class Builder {

        private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        private String current;

        private Builder() {}

        /**
         * Adds a 256-bit key under {@code id} (1 to 255 UTF-8 bytes).
         *
         * @throws IllegalArgumentException if the key is not 32 bytes or the id is taken or unusable
         */
        public Builder key(String id, byte[] key) {
            Objects.requireNonNull(id, "key id must not be null");
            int idBytes = id.getBytes(StandardCharsets.UTF_8).length;
            if (idBytes < 1 || idBytes > 255) {
                throw new IllegalArgumentException("key id must be 1 to 255 bytes, but was \"" + id + "\"");
            }
            if (key == null || key.length != KEY_BYTES) {
                throw new IllegalArgumentException("key \"" + id + "\" must be " + KEY_BYTES
                        + " bytes (AES-256), but was " + (key == null ? "null" : key.length + " bytes"));
            }
            if (keys.containsKey(id)) {
                throw new IllegalArgumentException("key id \"" + id + "\" was already added");
            }
            keys.put(id, new SecretKeySpec(key.clone(), "AES"));
            current = id;
            return this;
        }

        /** Makes {@code id}, already added, the key new values are encrypted with. */
        public Builder current(String id) {
            if (!keys.containsKey(id)) {
                throw new IllegalArgumentException("current key \"" + id + "\" was not added; keys: " + keys.keySet());
            }
            current = id;
            return this;
        }

        public AesGcmEncryptor build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("an encryptor needs at least one key");
            }
            return new AesGcmEncryptor(Collections.unmodifiableMap(new LinkedHashMap<>(keys)), current);
        }
    }
}
