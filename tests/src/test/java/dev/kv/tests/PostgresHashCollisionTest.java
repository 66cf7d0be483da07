package dev.kv.tests;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.Entry;
import dev.kv.KeyCollisionException;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.ValueFormat;
import dev.kv.contract.MutableClock;
import dev.kv.jpa.JpaKvStores;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two keys with one hash never overwrite, return or delete each other's entry. A hasher that maps
 * every key to 42 forces the collision that SHA-256 makes practically impossible.
 */
class PostgresHashCollisionTest {

    private static PostgresTables tables;

    private final MutableClock clock = new MutableClock(START);
    private KvStore colliding;

    @BeforeAll
    static void createTable() {
        tables = new PostgresTables(
                "hash_collisions", KvConfig.builder().format(ValueFormat.JSONB).build());
    }

    @AfterAll
    static void dropPool() {
        tables.close();
    }

    @AfterEach
    void closeStore() {
        colliding.close();
    }

    @BeforeEach
    void everyKeyHasTheSameHash() {
        tables.deleteAllEntries();
        colliding = JpaKvStores.open(
                tables.pool,
                tables.apply(KvConfig.builder().clock(clock).keyHasher(utf8 -> 42L))
                        .build());
        colliding.set("alice", v("A"), Duration.ofMinutes(1));
    }

    @Test
    void setOfAnotherKeyFailsAndLeavesTheStoredEntry() {
        assertThatThrownBy(() -> colliding.set("bob", v("B")))
                .isInstanceOfSatisfying(KeyCollisionException.class, e -> {
                    assertThat(e.key()).isEqualTo("bob");
                    assertThat(e.occupiedBy()).isEqualTo("alice");
                    assertThat(e.hash()).isEqualTo(42L);
                });
        assertThat(text(colliding.get("alice"))).isEqualTo("A");
    }

    @Test
    void readsOfAnotherKeyFailInsteadOfReturningTheStoredEntry() {
        assertThatThrownBy(() -> colliding.get("bob")).isInstanceOf(KeyCollisionException.class);
        assertThatThrownBy(() -> colliding.getEntry("bob")).isInstanceOf(KeyCollisionException.class);
        assertThatThrownBy(() -> colliding.exists("bob")).isInstanceOf(KeyCollisionException.class);
        assertThatThrownBy(() -> colliding.ttl("bob")).isInstanceOf(KeyCollisionException.class);
    }

    @Test
    void writesOfAnotherKeyNeverTouchTheStoredEntry() {
        assertThatThrownBy(() -> colliding.setIfAbsent("bob", v("B"))).isInstanceOf(KeyCollisionException.class);
        assertThatThrownBy(() -> colliding.update("bob", current -> v("B"))).isInstanceOf(KeyCollisionException.class);
        assertThatThrownBy(() -> colliding.compareAndSwap("bob", v("A"), v("B")))
                .isInstanceOf(KeyCollisionException.class);
        assertThatThrownBy(() -> colliding.compareAndSwap("bob", null, v("B"), Duration.ofSeconds(5)))
                .isInstanceOf(KeyCollisionException.class);
        assertThatThrownBy(() -> colliding.getAndSet("bob", v("B"))).isInstanceOf(KeyCollisionException.class);
        assertThatThrownBy(() -> colliding.getAndDelete("bob")).isInstanceOf(KeyCollisionException.class);
        assertThat(colliding.delete("bob")).isFalse();
        assertThat(colliding.expire("bob", Duration.ofSeconds(1))).isFalse();
        assertThat(colliding.persist("bob")).isFalse();
        Entry alice = colliding.getEntry("alice").orElseThrow();
        assertThat(text(alice.value())).isEqualTo("A");
        assertThat(alice.version()).isEqualTo(1);
        assertThat(alice.expiresAt()).contains(START.plus(Duration.ofMinutes(1)));
    }

    @Test
    void anExpiredEntryOfAnotherKeyFreesTheSlot() {
        clock.advance(Duration.ofMinutes(1));
        assertThat(colliding.get("bob")).isEmpty();
        assertThat(colliding.setIfAbsent("bob", v("B"))).isTrue();
        assertThat(colliding.getEntry("bob").orElseThrow().version()).isEqualTo(1);
        colliding.set("bob", v("B"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(colliding.getAndSet("carol", v("C"))).isEmpty();
        assertThat(colliding.getEntry("carol").orElseThrow().version()).isEqualTo(1);
        assertThatThrownBy(() -> colliding.get("alice")).isInstanceOf(KeyCollisionException.class);
        assertThat(text(colliding.getAndDelete("carol"))).isEqualTo("C");
    }
}
