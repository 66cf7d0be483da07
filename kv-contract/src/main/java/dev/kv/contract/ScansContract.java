package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.Entry;
import dev.kv.InvalidKeyException;
import dev.kv.ScanOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract's cases for scans. */
public abstract class ScansContract extends ContractCase {

    protected ScansContract(KvStoreContract fixture) {
        super(fixture);
    }

    @BeforeEach
    void fill() {
        for (String key : List.of("user:1", "user:2", "user:3", "user:4", "user_x", "order:1", "order:2")) {
            store.set(key, v(key));
        }
        store.set("user:0", v("expired"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void keysByPrefixAscendingAndDescending() {
        assertThat(store.keys(ScanOptions.prefix("user:"))).containsExactly("user:1", "user:2", "user:3", "user:4");
        assertThat(store.keys(ScanOptions.prefix("user:").descending()))
                .containsExactly("user:4", "user:3", "user:2", "user:1");
    }

    @Test
    void keysByRangeAreHalfOpen() {
        assertThat(store.keys(ScanOptions.range("order:2", "user:3"))).containsExactly("order:2", "user:1", "user:2");
        assertThat(store.keys(ScanOptions.range("user:3", null))).containsExactly("user:3", "user:4", "user_x");
        assertThat(store.keys(ScanOptions.range(null, "order:2"))).containsExactly("order:1");
    }

    @Test
    void limitAndOffsetPage() {
        assertThat(store.keys(ScanOptions.all().limit(3))).containsExactly("order:1", "order:2", "user:1");
        assertThat(store.keys(ScanOptions.all().limit(3).offset(3))).containsExactly("user:2", "user:3", "user:4");
        assertThat(store.keys(ScanOptions.all().descending().limit(2).offset(1)))
                .containsExactly("user:4", "user:3");
    }

    @Test
    void aKeysetCursorPagesThroughEveryKeyOnce() {
        for (boolean descending : List.of(false, true)) {
            ScanOptions page = descending
                    ? ScanOptions.prefix("user").descending().limit(2)
                    : ScanOptions.prefix("user").limit(2);
            List<String> seen = new ArrayList<>();
            List<String> keys = store.keys(page);
            while (!keys.isEmpty()) {
                seen.addAll(keys);
                keys = store.keys(page.after(keys.get(keys.size() - 1)));
            }
            List<String> expected = new ArrayList<>(List.of("user:1", "user:2", "user:3", "user:4", "user_x"));
            if (descending) {
                java.util.Collections.reverse(expected);
            }
            assertThat(seen).as("descending=" + descending).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void scanReturnsEntriesInOrder() {
        List<Entry> entries = store.scan(ScanOptions.prefix("order:"));
        assertThat(entries).extracting(Entry::key).containsExactly("order:1", "order:2");
        assertThat(entries).extracting(entry -> text(entry.value())).containsExactly("order:1", "order:2");
    }

    @Test
    void countSkipsExpiredEntries() {
        assertThat(store.count(ScanOptions.all())).isEqualTo(7);
        assertThat(store.count(ScanOptions.prefix("user:"))).isEqualTo(4);
        assertThat(store.count(ScanOptions.range("order:", "user:"))).isEqualTo(2);
        assertThat(store.count(ScanOptions.prefix("user:").limit(1))).isEqualTo(4);
    }

    @Test
    void deletePrefixRangeAndClear() {
        assertThat(store.deletePrefix("user:")).isEqualTo(4);
        assertThat(store.keys("")).containsExactly("order:1", "order:2", "user_x");
        assertThat(store.deleteRange("order:2", "z")).isEqualTo(2);
        assertThat(store.keys("")).containsExactly("order:1");
        assertThat(store.clear()).isEqualTo(1);
        assertThat(store.count(ScanOptions.all())).isZero();
    }

    @Test
    void likeWildcardsInPrefixesAreLiteral() {
        assertThat(store.keys(ScanOptions.prefix("user_"))).containsExactly("user_x");
        assertThat(store.count(ScanOptions.prefix("user_"))).isEqualTo(1);
    }

    @Test
    void scanOptionsAreChecked() {
        assertThatThrownBy(() -> ScanOptions.all().limit(0)).hasMessage("limit must be positive, but was 0");
        assertThatThrownBy(() -> ScanOptions.all().offset(-1)).hasMessage("offset must not be negative, but was -1");
        assertThatThrownBy(() -> ScanOptions.range("b", "a")).hasMessage("range from \"b\" must not be after to \"a\"");
        assertThatThrownBy(() -> store.keys(ScanOptions.prefix("a\u0000"))).isInstanceOf(InvalidKeyException.class);
    }
}
