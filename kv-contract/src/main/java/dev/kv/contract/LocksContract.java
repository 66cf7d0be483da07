package dev.kv.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.KvValidationException;
import dev.kv.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract's cases for locks and their fencing tokens. */
public abstract class LocksContract extends ContractCase {

    protected LocksContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void aFreeLockIsTakenAndHeldUntilReleased() {
        Lease first =
                store.tryLock("lock:report", "worker-1", Duration.ofSeconds(30)).orElseThrow();
        assertThat(first.name()).isEqualTo("lock:report");
        assertThat(first.owner()).isEqualTo("worker-1");
        assertThat(first.remaining()).isEqualTo(Duration.ofSeconds(30));
        assertThat(store.tryLock("lock:report", "worker-2", Duration.ofSeconds(30)))
                .isEmpty();
        assertThat(store.unlock(new Lease("lock:report", "worker-2", first.token(), Duration.ZERO)))
                .isFalse();
        assertThat(store.unlock(first)).isTrue();
        assertThat(store.unlock(first)).isFalse();
        Lease second =
                store.tryLock("lock:report", "worker-2", Duration.ofSeconds(30)).orElseThrow();
        assertThat(second.token()).isGreaterThan(first.token());
    }

    @Test
    void theOwnerRenewsItsLeaseKeepingItsToken() {
        Lease lease =
                store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30)).orElseThrow();
        clock.advance(Duration.ofSeconds(20));
        Lease again =
                store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30)).orElseThrow();
        assertThat(again.token()).isEqualTo(lease.token());
        assertThat(store.ttl("lock:job").remaining()).contains(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(20));
        Lease renewed = store.renew(lease, Duration.ofMinutes(1)).orElseThrow();
        assertThat(renewed).isEqualTo(new Lease("lock:job", "worker-1", lease.token(), Duration.ofMinutes(1)));
        assertThat(store.ttl("lock:job").remaining()).contains(Duration.ofMinutes(1));
    }

    @Test
    void aStaleHoldersTokenIsRefusedAfterAnotherOwnerTookTheExpiredLock() {
        Lease stale =
                store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30)).orElseThrow();
        clock.advance(Duration.ofSeconds(30));
        assertThat(store.renew(stale, Duration.ofSeconds(30))).isEmpty();
        Lease current =
                store.tryLock("lock:job", "worker-2", Duration.ofSeconds(30)).orElseThrow();
        assertThat(current.token()).isGreaterThan(stale.token());

        assertThat(store.unlock(stale)).isFalse();
        assertThat(store.renew(stale, Duration.ofSeconds(30))).isEmpty();
        assertThat(store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30)))
                .isEmpty();
        assertThat(store.lockStatus("lock:job"))
                .contains(new Lease("lock:job", "worker-2", current.token(), Duration.ofSeconds(30)));
    }

    @Test
    void theSameOwnerTakingTheLockAgainAfterItExpiredGetsANewerToken() {
        Lease first =
                store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30)).orElseThrow();
        clock.advance(Duration.ofSeconds(30));
        Lease second =
                store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30)).orElseThrow();
        assertThat(second.token()).isGreaterThan(first.token());
        assertThat(store.unlock(first)).isFalse();
        assertThat(store.unlock(second)).isTrue();
    }

    @Test
    void tokensNeverGoBackAfterTheLockEntryIsDeletedOrCleanedUp() {
        Lease first =
                store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30)).orElseThrow();
        store.delete("lock:job");
        Lease second =
                store.tryLock("lock:job", "worker-2", Duration.ofSeconds(30)).orElseThrow();
        assertThat(second.token()).isGreaterThan(first.token());
        clock.advance(Duration.ofSeconds(30));
        store.cleanupExpired();
        Lease third =
                store.tryLock("lock:job", "worker-3", Duration.ofSeconds(30)).orElseThrow();
        assertThat(third.token()).isGreaterThan(second.token());
    }

    @Test
    void theStatusShowsOwnerTokenAndTheLeaseLeft() {
        assertThat(store.lockStatus("lock:job")).isEmpty();
        Lease lease =
                store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30)).orElseThrow();
        clock.advance(Duration.ofSeconds(12));
        assertThat(store.lockStatus("lock:job"))
                .contains(new Lease("lock:job", "worker-1", lease.token(), Duration.ofSeconds(18)));
        clock.advance(Duration.ofSeconds(18));
        assertThat(store.lockStatus("lock:job")).isEmpty();
        store.set("not-a-lock", ContractValues.v("x"));
        assertThat(store.lockStatus("not-a-lock")).isEmpty();
        assertThat(store.tryLock("not-a-lock", "worker-1", Duration.ofSeconds(1)))
                .isEmpty();
    }

    @Test
    void onlyOneOfManyContendersGetsTheLock() throws Exception {
        List<Optional<Lease>> results =
                Concurrently.results(8, i -> store.tryLock("lock:contended", "worker-" + i, Duration.ofMinutes(1)));
        assertThat(results).filteredOn(Optional::isPresent).hasSize(1);
    }

    @Test
    void ownersLeasesAndDurationsAreChecked() {
        assertThatThrownBy(() -> store.tryLock("lock:x", "", Duration.ofSeconds(1)))
                .isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.tryLock("lock:x", "me", null)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.tryLock("lock:x", "me", Duration.ZERO))
                .isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.unlock(null)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.renew(null, Duration.ofSeconds(1))).isInstanceOf(KvValidationException.class);
        Lease lease = store.tryLock("lock:x", "me", Duration.ofSeconds(5)).orElseThrow();
        assertThatThrownBy(() -> store.renew(lease, Duration.ZERO)).isInstanceOf(KvValidationException.class);
        assertThat(store.ttl("lock:x").remaining()).contains(Duration.ofSeconds(5));
        assertThat(store.exists("lock:y")).isFalse();
    }
}
