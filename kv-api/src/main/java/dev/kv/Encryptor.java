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
     * Encrypts {@code plaintext}, authenticating {@code associatedData} (the entry's key) with it.
     *
     * @return a ciphertext that names {@link #currentKeyId()}
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

    /** The most bytes encryption adds to a value. */
    int overhead();
}
