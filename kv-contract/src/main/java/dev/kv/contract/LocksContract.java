package dev.kv.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.KvValidationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's cases for locks. */
public abstract class LocksContract extends ContractCase {

    protected LocksContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void aFreeLockIsTakenAndHeldUntilReleased() {
        assertThat(store.tryLock("lock:report", "worker-1", Duration.ofSeconds(30)))
                .isTrue();
        assertThat(store.tryLock("lock:report", "worker-2", Duration.ofSeconds(30)))
                .isFalse();
        assertThat(store.unlock("lock:report", "worker-2")).isFalse();
        assertThat(store.unlock("lock:report", "worker-1")).isTrue();
        assertThat(store.tryLock("lock:report", "worker-2", Duration.ofSeconds(30)))
                .isTrue();
    }

    @Test
    void theOwnerRenewsItsLease() {
        store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(20));
        assertThat(store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30)))
                .isTrue();
        assertThat(store.ttl("lock:job").remaining()).contains(Duration.ofSeconds(30));
    }

    @Test
    void anExpiredLeaseFreesTheLockAndItsOldOwnerCannotReleaseTheNewOne() {
        store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));
        assertThat(store.tryLock("lock:job", "worker-2", Duration.ofSeconds(30)))
                .isTrue();
        assertThat(store.unlock("lock:job", "worker-1")).isFalse();
        assertThat(store.tryLock("lock:job", "worker-1", Duration.ofSeconds(30)))
                .isFalse();
    }

    @Test
    void onlyOneOfManyContendersGetsTheLock() throws Exception {
        List<Boolean> results =
                Concurrently.results(8, i -> store.tryLock("lock:contended", "worker-" + i, Duration.ofMinutes(1)));
        int owners = java.util.Collections.frequency(results, true);
        assertThat(owners).isEqualTo(1);
    }

    @Test
    void ownersAndLeasesAreChecked() {
        assertThatThrownBy(() -> store.tryLock("lock:x", "", Duration.ofSeconds(1)))
                .isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.tryLock("lock:x", "me", null)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.tryLock("lock:x", "me", Duration.ZERO))
                .isInstanceOf(KvValidationException.class);
        assertThat(store.exists("lock:x")).isFalse();
    }
}
