package dev.kv.contract;

import static dev.kv.contract.ContractValues.START;
import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.utf8;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.Entry;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Ttl;
import dev.kv.ValueFormat;
import dev.kv.VersionConflictException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's cases for versions. */
public abstract class VersionsContract extends ContractCase {

    protected VersionsContract(KvStoreContract fixture) {
        super(fixture);
    }

    @Test
    void setIfVersionWritesWhenTheVersionMatches() {
        store.set("doc", v("a"), Duration.ofMinutes(1));
        assertThat(store.setIfVersion("doc", v("b"), 1)).isEqualTo(2);
        assertThat(store.setIfVersion("doc", v("c"), 2)).isEqualTo(3);
        Entry entry = store.getEntry("doc").orElseThrow();
        assertThat(text(entry.value())).isEqualTo("c");
        assertThat(entry.version()).isEqualTo(3);
        assertThat(entry.expiresAt()).contains(START.plus(Duration.ofMinutes(1)));
    }

    @Test
    void setIfVersionOfAStaleVersionIsAConflictAndChangesNothing() {
        store.set("doc", v("a"));
        store.set("doc", v("b"));
        assertThatThrownBy(() -> store.setIfVersion("doc", v("stale"), 1))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> {
                    assertThat(e.expected()).isEqualTo(1);
                    assertThat(e.actual()).isEqualTo(2);
                    assertThat(e.retryable()).isTrue();
                })
                .hasMessageMatching("key \"(.*:)?doc\" is at version 2, not at version 1");
        assertThat(text(store.get("doc"))).isEqualTo("b");
    }

    @Test
    void absentMeansTheKeyMustNotExist() {
        assertThat(store.setIfVersion("doc", v("a"), KvStore.ABSENT)).isEqualTo(1);
        assertThatThrownBy(() -> store.setIfVersion("doc", v("b"), KvStore.ABSENT))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> assertThat(e.actual())
                        .isEqualTo(1));
        assertThatThrownBy(() -> store.setIfVersion("missing", v("b"), 1))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> assertThat(e.actual())
                        .isEqualTo(KvStore.ABSENT));
        assertThat(store.exists("missing")).isFalse();
    }

    @Test
    void anExpiredEntryCountsAsAbsent() {
        store.set("doc", v("a"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> store.setIfVersion("doc", v("b"), 1)).isInstanceOf(VersionConflictException.class);
        assertThat(store.setIfVersion("doc", v("b"), KvStore.ABSENT)).isPositive();
        assertThat(text(store.get("doc"))).isEqualTo("b");
        assertThat(store.ttl("doc")).isEqualTo(Ttl.persistent());
    }

    @Test
    void deleteIfVersionDeletesOnlyTheExpectedVersion() {
        store.set("doc", v("a"));
        assertThatThrownBy(() -> store.deleteIfVersion("doc", 7)).isInstanceOf(VersionConflictException.class);
        assertThat(store.exists("doc")).isTrue();
        store.deleteIfVersion("doc", 1);
        assertThat(store.exists("doc")).isFalse();
        assertThatThrownBy(() -> store.deleteIfVersion("doc", 1))
                .isInstanceOfSatisfying(VersionConflictException.class, e -> assertThat(e.actual())
                        .isEqualTo(KvStore.ABSENT));
        assertThatThrownBy(() -> store.deleteIfVersion("doc", 0)).isInstanceOf(KvValidationException.class);
    }

    @Test
    void onlyOneOfManyWritersOfTheSameVersionWins() throws Exception {
        assumeCallsCommitOneByOne("the other threads must see the version the case writes first, which commits"
                + " only when the caller's transaction ends");
        store.set("doc", v("start"));
        List<Boolean> results = Concurrently.results(8, i -> {
            try {
                store.setIfVersion("doc", v("writer-" + i), 1);
                return true;
            } catch (VersionConflictException e) {
                return false;
            }
        });
        int winners = java.util.Collections.frequency(results, true);
        assertThat(winners).isEqualTo(1);
        assertThat(store.getEntry("doc").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void patchWithAnExpectedVersion() {
        if (store.config().format() != ValueFormat.JSONB) {
            return;
        }
        store.set("doc", utf8("{\"a\": 1}"));
        store.patch("doc", utf8("{\"b\": 2}"), 1);
        assertThat(JsonAssert.tree(store.get("doc").orElseThrow()))
                .isEqualTo(JsonAssert.tree(utf8("{\"a\": 1, \"b\": 2}")));
        assertThatThrownBy(() -> store.patch("doc", utf8("{\"c\": 3}"), 1))
                .isInstanceOf(VersionConflictException.class);
        assertThat(store.getEntry("doc").orElseThrow().version()).isEqualTo(2);
    }
}
