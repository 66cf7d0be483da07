package dev.kv.contract;

import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.ScanOptions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counting, listing and deleting by a glob on any face of a store: only the keys the pattern
 * matches, also where the glob's literal prefix is empty ({@code *.tmp}) or shorter than the keys it
 * must tell apart ({@code user:*:tmp}). These are the
 * cases that caught bulk deletes falling back to a prefix-only default on a view.
 */
public abstract class GlobSelectionContract extends ContractCase {

    private static final List<String> KEYS =
            List.of("a.tmp", "b.tmp", "keep.txt", "user:1:name", "user:1:tmp", "user:2:tmp", "users");

    protected GlobSelectionContract(KvStoreContract fixture) {
        super(fixture);
    }

    @BeforeEach
    void fill() {
        KEYS.forEach(key -> store.set(key, v(key)));
    }

    @Test
    void deleteWithGlobDeletesOnlyMatchingKeys() {
        assertThat(store.delete(ScanOptions.glob("*.tmp"))).isEqualTo(2);
        assertThat(store.keys("")).containsExactly("keep.txt", "user:1:name", "user:1:tmp", "user:2:tmp", "users");
    }

    @Test
    void deleteWithGlobUnderAPrefixKeepsTheRestOfThePrefix() {
        assertThat(store.delete(ScanOptions.glob("user:*:tmp"))).isEqualTo(2);
        assertThat(store.keys("user")).containsExactly("user:1:name", "users");
    }

    @Test
    void deleteWithGlobHonoursOrderAndLimit() {
        assertThat(store.delete(ScanOptions.glob("*tmp").descending().limit(1))).isEqualTo(1);
        assertThat(store.keys("")).containsExactly("a.tmp", "b.tmp", "keep.txt", "user:1:name", "user:1:tmp", "users");
    }

    @Test
    void deleteWithGlobMatchingNothingDeletesNothing() {
        assertThat(store.delete(ScanOptions.glob("*.log"))).isZero();
        assertThat(store.keys("")).containsExactlyElementsOf(KEYS);
    }

    @Test
    void countWithGlobCountsOnlyMatches() {
        assertThat(store.count(ScanOptions.glob("*.tmp"))).isEqualTo(2);
        assertThat(store.count(ScanOptions.glob("user:*:tmp"))).isEqualTo(2);
        assertThat(store.count(ScanOptions.glob("user:?:*").limit(1))).isEqualTo(3);
    }

    @Test
    void keysWithGlobListsOnlyMatches() {
        assertThat(store.keys(ScanOptions.glob("*.tmp"))).containsExactly("a.tmp", "b.tmp");
        assertThat(store.keys(ScanOptions.glob("user:*:tmp"))).containsExactly("user:1:tmp", "user:2:tmp");
    }

    @Test
    void scanWithGlobReadsOnlyMatches() {
        assertThat(store.scan(ScanOptions.glob("*.tmp")))
                .extracting(entry -> entry.key())
                .containsExactly("a.tmp", "b.tmp");
    }
}
