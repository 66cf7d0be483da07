package dev.kv;

/**
 * Encrypts values for an {@link KvStore#encrypted encrypted store}: the SPI for a KMS or an HSM.
 * {@link dev.kv.crypto.AesGcmEncryptor} is the built-in implementation.
 *
 * <p>Every ciphertext names the key it was made with, so values under retired keys stay readable
 * while {@link EncryptedKvStore#reencrypt} moves them to the current key.
 */
public interface Encryptor {

    /**
     * Encrypts {@code plaintext}, authenticating {@code associatedData} with it: where the entry is
     * stored, its schema-qualified table and its full stored key, as {@link EncryptedKvStore} encodes them.
     *
     * @return a ciphertext that names {@link #currentKeyId()} and is {@link #boundToLocation bound to the location}
     */
    byte[] encrypt(byte[] plaintext, byte[] associatedData);

    /**
     * Decrypts what {@link #encrypt} made with any key this encryptor holds.
     *
     * @throws DecryptionException if the ciphertext or its associated data was changed, or its key is unknown
     */
    byte[] decrypt(byte[] ciphertext, byte[] associatedData);

    /** The id of the key new values are encrypted with. */
    String currentKeyId();

    /** The id of the key {@code ciphertext} was made with. */
    String keyIdOf(byte[] ciphertext);

    /**
     * Whether {@code ciphertext} authenticates where its entry is stored, as every ciphertext {@link
     * #encrypt} makes does. False for one of an earlier format, which authenticated only the key the
     * encrypted view was given: the view decrypts it with that, and {@link EncryptedKvStore#reencrypt}
     * rewrites it bound to its location. The default suits an encryptor that never made the earlier format.
     *
     * @throws DecryptionException if {@code ciphertext} is not one of this encryptor's
     */
    default boolean boundToLocation(byte[] ciphertext) {
        return true;
    }

    /** The most bytes encryption adds to a value. */
    int overhead();
}
