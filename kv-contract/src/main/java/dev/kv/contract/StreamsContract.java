package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.Entry;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.ScanOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The contract's cases for streaming scans: lazy, paged by key, in scan order, not a snapshot. */
public abstract class StreamsContract extends ContractCase {

    protected StreamsContract(KvStoreContract fixture) {
        super(fixture);
    }

    private static String key(int i) {
        return "k%05d".formatted(i);
    }

    private void write(int count) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = count - 1; i >= 0; i--) {
            entries.put(key(i), v(Integer.toString(i)));
        }
        store.setMany(entries);
    }

    private static List<String> keys(Stream<Entry> stream) {
        try (stream) {
            return stream.map(Entry::key).toList();
        }
    }

    @Test
    void streamsFiveThousandEntriesInOrderOneHundredAPage() {
        write(5_000);
        List<String> expected =
                IntStream.range(0, 5_000).mapToObj(StreamsContract::key).toList();
        List<Entry> streamed;
        try (Stream<Entry> stream = store.stream(ScanOptions.all(), 100)) {
            streamed = stream.toList();
        }
        assertThat(streamed).extracting(Entry::key).containsExactlyElementsOf(expected);
        assertThat(text(streamed.get(4_321).value())).isEqualTo("4321");
        try (Stream<String> keys = store.streamKeys(ScanOptions.all(), 100)) {
            assertThat(keys.toList()).containsExactlyElementsOf(expected);
        }
        assertThat(keys(store.stream(ScanOptions.all()))).hasSize(5_000);
    }

    @Test
    void pagesFollowPrefixRangeGlobAndDescendingOrder() {
        write(30);
        store.set("other", v("x"));
        assertThat(keys(store.stream(ScanOptions.prefix("k0001"), 3)))
                .containsExactlyElementsOf(
                        IntStream.range(10, 20).mapToObj(StreamsContract::key).toList());
        assertThat(keys(store.stream(ScanOptions.range(key(5), key(12)), 2)))
                .containsExactlyElementsOf(
                        IntStream.range(5, 12).mapToObj(StreamsContract::key).toList());
        assertThat(keys(store.stream(ScanOptions.glob("k000?[13]"), 1)))
                .containsExactly(key(1), key(3), key(11), key(13), key(21), key(23));
        assertThat(keys(store.stream(ScanOptions.prefix("k").descending(), 7)))
                .containsExactlyElementsOf(
                        IntStream.range(0, 30).mapToObj(i -> key(29 - i)).toList());
    }

    @Test
    void limitBoundsTheWholeStreamAndOffsetAndCursorSkip() {
        write(20);
        assertThat(keys(store.stream(ScanOptions.all().limit(7), 3)))
                .containsExactlyElementsOf(
                        IntStream.range(0, 7).mapToObj(StreamsContract::key).toList());
        assertThat(keys(store.stream(ScanOptions.all().offset(15), 2)))
                .containsExactlyElementsOf(
                        IntStream.range(15, 20).mapToObj(StreamsContract::key).toList());
        assertThat(keys(store.stream(ScanOptions.all().after(key(17)), 2))).containsExactly(key(18), key(19));
    }

    @Test
    void expiredEntriesAreLeftOut() {
        write(10);
        store.set(key(3), v("3"), Duration.ofSeconds(1));
        store.set(key(4), v("4"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(keys(store.stream(ScanOptions.all(), 2))).hasSize(8).doesNotContain(key(3), key(4));
    }

    @Test
    void nothingIsReadUntilTheStreamIsConsumedAndNothingAfterItIsClosed() {
        write(50);
        LongSupplier trips = roundTrips().orElse(() -> 0);
        long before = trips.getAsLong();
        Stream<Entry> stream = store.stream(ScanOptions.all(), 10);
        Iterator<Entry> entries = stream.iterator();
        assertThat(trips.getAsLong()).isEqualTo(before);
        List<String> read = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            read.add(entries.next().key());
        }
        stream.close();
        long afterClose = trips.getAsLong();
        assertThat(entries.hasNext()).isFalse();
        assertThat(trips.getAsLong()).isEqualTo(afterClose);
        assertThat(read)
                .containsExactlyElementsOf(
                        IntStream.range(0, 15).mapToObj(StreamsContract::key).toList());
    }

    @Test
    void eachPageSeesTheStoreAsItIsThenNotASnapshot() {
        write(10);
        Iterator<Entry> entries = store.stream(ScanOptions.all(), 4).iterator();
        List<String> read = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            read.add(entries.next().key());
        }
        store.set(key(1) + "b", v("behind"));
        store.set(key(8) + "b", v("ahead"));
        store.delete(key(6));
        entries.forEachRemaining(entry -> read.add(entry.key()));
        assertThat(read)
                .containsExactly(key(0), key(1), key(2), key(3), key(4), key(5), key(7), key(8), key(8) + "b", key(9));
    }

    @Test
    void aNamespaceStreamsItsOwnKeysOnly() {
        KvStore a = store.namespace("a");
        KvStore nested = store.namespace("a", "b");
        for (int i = 0; i < 5; i++) {
            a.set("x" + i, v(Integer.toString(i)));
            nested.set("x" + i, v("nested"));
        }
        store.set("x9", v("outside"));
        List<Entry> streamed;
        try (Stream<Entry> stream = a.stream(ScanOptions.all(), 2)) {
            streamed = stream.toList();
        }
        assertThat(streamed).extracting(Entry::key).containsExactly("x0", "x1", "x2", "x3", "x4");
        assertThat(streamed).extracting(entry -> text(entry.value())).containsExactly("0", "1", "2", "3", "4");
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> store.stream(null, 10)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.stream(ScanOptions.all(), 0)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.streamKeys(ScanOptions.all(), 100_001))
                .isInstanceOf(KvValidationException.class);
    }
}
