package dev.kv.entities;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;
import java.time.Instant;

/**
 * The columns every kv table has, whatever the format of its value.
 *
 * <p>The primary key is a 64-bit hash of the key's UTF-8 bytes; the key itself is kept so that
 * two keys with one hash are told apart. kv writes these rows with its own SQL (an upsert guarded
 * against hash collisions); the mapping exists so that Hibernate validates the schema the
 * migrations create and so that applications can read a kv table with JPQL.
 */
@MappedSuperclass
public abstract class AbstractKvEntry {

    @Id
    @Column(name = "key_hash", nullable = false)
    private long keyHash;

    @Column(name = "key", nullable = false, columnDefinition = "text")
    private String key;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "idle_micros")
    private Long idleMicros;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected AbstractKvEntry() {}

    public long getKeyHash() {
        return keyHash;
    }

    public String getKey() {
        return key;
    }

    /** The instant the entry stops being visible, or {@code null} when it never expires. */
    public Instant getExpiresAt() {
        return expiresAt;
    }

    /**
     * For an entry that expires once unread ({@code Expiry.idle}), its idle period in microseconds: {@link
     * #getExpiresAt()} is then its last refresh plus this; {@code null} otherwise.
     */
    public Long getIdleMicros() {
        return idleMicros;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** Starts at 1 and grows by one with every write to the entry. */
    public long getVersion() {
        return version;
    }

    /** Whether the entry is expired at {@code now}: expired entries are absent to every kv read. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
