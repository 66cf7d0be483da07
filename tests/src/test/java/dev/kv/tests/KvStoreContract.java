package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CasResult;
import dev.kv.CasResult.Outcome;
import dev.kv.Change;
import dev.kv.ChangeStream;
import dev.kv.ChangeStreamDisabledException;
import dev.kv.CleanupStrategy;
import dev.kv.ConsumerStatus;
import dev.kv.CounterOverflowException;
import dev.kv.Entry;
import dev.kv.InvalidKeyException;
import dev.kv.InvalidPatternException;
import dev.kv.InvalidValueException;
import dev.kv.KeyMapper;
import dev.kv.KeyNotFoundException;
import dev.kv.KvConfig;
import dev.kv.KvStats;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Limits;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.StreamConsumer;
import dev.kv.Ttl;
import dev.kv.TypeMismatchException;
import dev.kv.TypedKvStore;
import dev.kv.ValueCodec;
import dev.kv.ValueFormat;
import dev.kv.VersionConflictException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of every {@link KvStore}, written once. A backend's test class supplies the store;
 * values are JSON strings, valid in every format and unchanged by JSONB normalisation.
 */
abstract class KvStoreContract {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    protected final MutableClock clock = new MutableClock(START);
    protected KvStore store;
    private final List<KvStore> opened = new ArrayList<>();

    /** Opens a store of the backend under test; the backend adds its own table and format settings. */
    protected abstract KvStore open(KvConfig.Builder settings);

    /** Removes every entry the previous test left. */
    protected abstract void deleteAllEntries();

    @BeforeEach
    void openStore() {
        deleteAllEntries();
        store = openTracked(KvConfig.builder().clock(clock));
    }

    @AfterEach
    void closeStores() {
        opened.forEach(KvStore::close);
    }

    KvStore openTracked(KvConfig.Builder settings) {
        KvStore opened = open(settings);
        this.opened.add(opened);
        return opened;
    }

    static byte[] v(String text) {
        return ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] value) {
        String json = new String(value, StandardCharsets.UTF_8);
        return json.substring(1, json.length() - 1);
    }

    static String text(Optional<byte[]> value) {
        return value.map(KvStoreContract::text).orElse(null);
    }

    /** Order of keys in the store: their UTF-8 bytes, i.e. code points (String.compareTo is UTF-16 order). */
    static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    @Nested
    class GetAndSet {

        @Test
        void getWhenAbsentThenEmpty() {
            assertThat(store.get("missing")).isEmpty();
        }

        @Test
        void setThenGetReturnsTheValue() {
            store.set("user:1", v("alice"));
            assertThat(text(store.get("user:1"))).isEqualTo("alice");
        }

        @Test
        void setWhenPresentThenReplacesValue() {
            store.set("user:1", v("alice"));
            store.set("user:1", v("bob"));
            assertThat(text(store.get("user:1"))).isEqualTo("bob");
        }

        @Test
        void setWithoutTtlRemovesAnEarlierTtl() {
            store.set("k", v("a"), Duration.ofMinutes(1));
            store.set("k", v("b"));
            assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
        }

        @Test
        void getReturnsACopyThatCannotChangeTheStore() {
            store.set("k", v("abc"));
            byte[] read = store.get("k").orElseThrow();
            read[1] = 'X';
            assertThat(text(store.get("k"))).isEqualTo("abc");
        }

        @Test
        void unicodeKeysAreStoredLiterally() {
            List<String> keys = List.of("日本語", "emoji:😀", "e\u0301", "é", "ключ", "%_\\*?[", " spaced ", "tab\tkey");
            for (String key : keys) {
                store.set(key, v(key.replace("\\", "\\\\").replace("\t", "\\t")));
            }
            for (String key : keys) {
                assertThat(store.exists(key)).as(key).isTrue();
            }
            assertThat(store.keys(""))
                    .containsExactlyElementsOf(
                            keys.stream().sorted(CODE_POINT_ORDER).toList());
        }

        @Test
        void aKeyOfTheMaximumLengthIsAccepted() {
            String key = "k".repeat(store.config().limits().maxKeyBytes());
            store.set(key, v("x"));
            assertThat(store.exists(key)).isTrue();
        }

        @Test
        void aValueOfTheMaximumSizeIsAccepted() {
            KvStore small = openTracked(KvConfig.builder().clock(clock).limits(new Limits(64, 16)));
            small.set("k", v("x".repeat(14)));
            assertThat(text(small.get("k"))).hasSize(14);
        }
    }

    @Nested
    class Entries {

        @Test
        void getEntryWhenAbsentThenEmpty() {
            assertThat(store.getEntry("missing")).isEmpty();
        }

        @Test
        void newEntryHasVersionOneAndCreationTime() {
            store.set("k", v("a"));
            Entry entry = store.getEntry("k").orElseThrow();
            assertThat(entry.key()).isEqualTo("k");
            assertThat(text(entry.value())).isEqualTo("a");
            assertThat(entry.version()).isEqualTo(1);
            assertThat(entry.createdAt()).isEqualTo(START);
            assertThat(entry.updatedAt()).isEqualTo(START);
            assertThat(entry.expiresAt()).isEmpty();
        }

        @Test
        void everyWriteIncrementsVersionAndUpdatedTimeButKeepsCreationTime() {
            store.set("k", v("a"));
            clock.advance(Duration.ofSeconds(5));
            store.set("k", v("b"), Duration.ofMinutes(1));
            clock.advance(Duration.ofSeconds(5));
            store.expire("k", Duration.ofMinutes(2));
            clock.advance(Duration.ofSeconds(5));
            store.update("k", current -> v("c"));

            Entry entry = store.getEntry("k").orElseThrow();
            assertThat(entry.version()).isEqualTo(4);
            assertThat(entry.createdAt()).isEqualTo(START);
            assertThat(entry.updatedAt()).isEqualTo(START.plusSeconds(15));
            assertThat(entry.expiresAt()).contains(START.plusSeconds(10).plus(Duration.ofMinutes(2)));
        }

        @Test
        void writingAnExpiredKeyCreatesTheEntryAnew() {
            store.set("k", v("a"), Duration.ofSeconds(10));
            store.set("k", v("b"), Duration.ofSeconds(10));
            clock.advance(Duration.ofSeconds(20));
            store.set("k", v("c"));
            Entry entry = store.getEntry("k").orElseThrow();
            assertThat(entry.createdAt()).isEqualTo(START.plusSeconds(20));
            assertThat(entry.version()).isEqualTo(1);
        }

        @Test
        void everyKindOfWriteToAnExpiredKeyStartsAtVersionOne() {
            List<java.util.function.Consumer<String>> writes = List.of(
                    key -> store.set(key, v("new")),
                    key -> store.setIfAbsent(key, v("new")),
                    key -> store.update(key, current -> v("new")),
                    key -> store.increment(key),
                    key -> store.setMany(Map.of(key, v("new"))),
                    key -> store.apply(List.of(Mutation.put(key, v("new")))));
            for (int i = 0; i < writes.size(); i++) {
                String key = "revived:" + i;
                store.set(key, utf8("1"), Duration.ofSeconds(1));
                store.set(key, utf8("2"), Duration.ofSeconds(1));
                clock.advance(Duration.ofSeconds(1));
                writes.get(i).accept(key);
                assertThat(store.getEntry(key).orElseThrow().version())
                        .as("write " + i)
                        .isEqualTo(1);
            }
        }

        @Test
        void timesAreKeptToTheMicrosecond() {
            clock.advance(Duration.ofNanos(123_456_789));
            store.set("k", v("a"), Duration.ofNanos(1_500));
            Entry entry = store.getEntry("k").orElseThrow();
            Instant now = START.plusNanos(123_456_000);
            assertThat(entry.createdAt()).isEqualTo(now);
            assertThat(entry.expiresAt()).contains(now.plus(1, ChronoUnit.MICROS));
        }
    }

    @Nested
    class Expiry {

        @Test
        void anExpiredEntryIsAbsentToEveryRead() {
            store.set("session:1", v("s"), Duration.ofSeconds(30));
            clock.advance(Duration.ofSeconds(30));
            assertThat(store.get("session:1")).isEmpty();
            assertThat(store.getEntry("session:1")).isEmpty();
            assertThat(store.exists("session:1")).isFalse();
            assertThat(store.ttl("session:1")).isEqualTo(Ttl.absent());
            assertThat(store.keys("session:")).isEmpty();
        }

        @Test
        void anEntryIsLiveUntilItsExpiry() {
            store.set("k", v("a"), Duration.ofSeconds(30));
            clock.advance(Duration.ofSeconds(29));
            assertThat(text(store.get("k"))).isEqualTo("a");
            assertThat(store.ttl("k")).isEqualTo(Ttl.expiresIn(Duration.ofSeconds(1)));
        }

        @Test
        void ttlOfAnEntryWithoutExpiryIsPersistent() {
            store.set("k", v("a"));
            assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
            assertThat(store.ttl("k").remaining()).isEmpty();
        }

        @Test
        void expireSetsTheRemainingTime() {
            store.set("k", v("a"));
            assertThat(store.expire("k", Duration.ofMinutes(5))).isTrue();
            assertThat(store.ttl("k").remaining()).contains(Duration.ofMinutes(5));
            clock.advance(Duration.ofMinutes(5));
            assertThat(store.exists("k")).isFalse();
        }

        @Test
        void expireOfAnAbsentOrExpiredKeyIsFalse() {
            assertThat(store.expire("missing", Duration.ofMinutes(1))).isFalse();
            store.set("k", v("a"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.expire("k", Duration.ofMinutes(1))).isFalse();
            assertThat(store.exists("k")).isFalse();
        }

        @Test
        void persistRemovesTheExpiry() {
            store.set("k", v("a"), Duration.ofSeconds(10));
            assertThat(store.persist("k")).isTrue();
            clock.advance(Duration.ofDays(365));
            assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
        }

        @Test
        void persistIsFalseWithoutAnExpiryOrALiveEntry() {
            store.set("forever", v("a"));
            assertThat(store.persist("forever")).isFalse();
            assertThat(store.persist("missing")).isFalse();
            store.set("gone", v("a"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(2));
            assertThat(store.persist("gone")).isFalse();
            assertThat(store.exists("gone")).isFalse();
        }

        @Test
        void ttlMustBePositive() {
            for (Duration ttl : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
                assertThatThrownBy(() -> store.set("k", v("a"), ttl))
                        .isInstanceOf(KvValidationException.class)
                        .hasMessage("ttl must be positive, but was " + ttl);
                assertThatThrownBy(() -> store.expire("k", ttl)).isInstanceOf(KvValidationException.class);
            }
            assertThatThrownBy(() -> store.set("k", v("a"), null))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessage("ttl must not be null");
            assertThat(store.exists("k")).isFalse();
        }

        @Test
        void aTtlBeyondTheYear9999IsRefused() {
            assertThatThrownBy(() -> store.set("k", v("a"), Duration.ofDays(3_000_000)))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessageContaining("ends after 9999-12-31T23:59:59Z");
        }

        @Test
        void cleanupDeletesOnlyExpiredEntriesAndCountsThem() {
            store.set("keep", v("a"));
            store.set("later", v("b"), Duration.ofHours(1));
            for (int i = 0; i < 5; i++) {
                store.set("old:" + i, v("x"), Duration.ofSeconds(1));
            }
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.cleanupExpired()).isEqualTo(5);
            assertThat(store.cleanupExpired()).isZero();
            assertThat(store.keys("")).containsExactly("keep", "later");
        }

        @Test
        void cleanupWorksThroughMoreRowsThanOneBatch() {
            KvStore batched = openTracked(KvConfig.builder().clock(clock).cleanupBatchSize(3));
            for (int i = 0; i < 10; i++) {
                batched.set("old:" + i, v("x"), Duration.ofSeconds(1));
            }
            batched.set("keep", v("a"));
            clock.advance(Duration.ofMinutes(1));
            assertThat(batched.cleanupExpired()).isEqualTo(10);
            assertThat(batched.keys("")).containsExactly("keep");
        }
    }

    @Nested
    class SetIfAbsent {

        @Test
        void storesWhenAbsent() {
            assertThat(store.setIfAbsent("lock:a", v("owner-1"))).isTrue();
            assertThat(text(store.get("lock:a"))).isEqualTo("owner-1");
        }

        @Test
        void keepsTheExistingValueWhenPresent() {
            store.set("lock:a", v("owner-1"));
            assertThat(store.setIfAbsent("lock:a", v("owner-2"))).isFalse();
            assertThat(text(store.get("lock:a"))).isEqualTo("owner-1");
            assertThat(store.getEntry("lock:a").orElseThrow().version()).isEqualTo(1);
        }

        @Test
        void storesWhenTheExistingEntryExpired() {
            store.set("lock:a", v("owner-1"), Duration.ofSeconds(10));
            clock.advance(Duration.ofSeconds(10));
            assertThat(store.setIfAbsent("lock:a", v("owner-2"), Duration.ofSeconds(10)))
                    .isTrue();
            assertThat(text(store.get("lock:a"))).isEqualTo("owner-2");
            assertThat(store.ttl("lock:a").remaining()).contains(Duration.ofSeconds(10));
            assertThat(store.getEntry("lock:a").orElseThrow().createdAt()).isEqualTo(START.plusSeconds(10));
        }

        @Test
        void onlyOneOfManyConcurrentCallersWins() throws Exception {
            int threads = 8;
            List<Boolean> results = Concurrently.results(threads, i -> store.setIfAbsent("lock:race", v("owner-" + i)));
            int winners = java.util.Collections.frequency(results, true);
            assertThat(winners).isEqualTo(1);
        }
    }

    @Nested
    class Delete {

        @Test
        void deleteRemovesALiveEntry() {
            store.set("k", v("a"));
            assertThat(store.delete("k")).isTrue();
            assertThat(store.get("k")).isEmpty();
        }

        @Test
        void deleteOfAnAbsentKeyIsFalse() {
            assertThat(store.delete("missing")).isFalse();
        }

        @Test
        void deleteOfAnExpiredKeyIsFalse() {
            store.set("k", v("a"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.delete("k")).isFalse();
        }
    }

    @Nested
    class Update {

        @Test
        void updateOfAnAbsentKeyReceivesNull() {
            List<byte[]> seen = new ArrayList<>();
            store.update("counter", current -> {
                seen.add(current);
                return v("1");
            });
            assertThat(seen).containsExactly((byte[]) null);
            assertThat(text(store.get("counter"))).isEqualTo("1");
            assertThat(store.ttl("counter")).isEqualTo(Ttl.persistent());
        }

        @Test
        void updateOfAnExpiredKeyReceivesNull() {
            store.set("counter", v("41"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            store.update("counter", current -> current == null ? v("0") : v("wrong"));
            assertThat(text(store.get("counter"))).isEqualTo("0");
        }

        @Test
        void updateReceivesTheCurrentValueAndReturnsTheNewOne() {
            store.set("counter", v("41"));
            Optional<byte[]> result =
                    store.update("counter", current -> v(String.valueOf(Integer.parseInt(text(current)) + 1)));
            assertThat(text(result)).isEqualTo("42");
            assertThat(text(store.get("counter"))).isEqualTo("42");
        }

        @Test
        void updateWithoutTtlKeepsTheExpiry() {
            store.set("k", v("a"), Duration.ofMinutes(1));
            clock.advance(Duration.ofSeconds(10));
            store.update("k", current -> v("b"));
            assertThat(store.ttl("k").remaining()).contains(Duration.ofSeconds(50));
        }

        @Test
        void updateWithTtlSetsANewExpiry() {
            store.set("k", v("a"));
            store.update("k", Duration.ofMinutes(1), current -> v("b"));
            assertThat(store.ttl("k").remaining()).contains(Duration.ofMinutes(1));
            clock.advance(Duration.ofMinutes(1));
            assertThat(store.exists("k")).isFalse();
        }

        @Test
        void returningNullDeletesTheEntry() {
            store.set("k", v("a"));
            assertThat(store.update("k", current -> null)).isEmpty();
            assertThat(store.exists("k")).isFalse();
        }

        @Test
        void anExceptionFromTheFunctionChangesNothingAndReachesTheCaller() {
            store.set("balance", v("10"));
            IllegalStateException insufficient = new IllegalStateException("insufficient funds");
            assertThatThrownBy(() -> store.update("balance", current -> {
                        throw insufficient;
                    }))
                    .isSameAs(insufficient);
            assertThat(text(store.get("balance"))).isEqualTo("10");
            assertThat(store.getEntry("balance").orElseThrow().version()).isEqualTo(1);
        }

        @Test
        void anInvalidNewValueChangesNothing() {
            KvStore small = openTracked(KvConfig.builder().clock(clock).limits(new Limits(64, 16)));
            small.set("k", v("a"));
            assertThatThrownBy(() -> small.update("k", current -> v("x".repeat(100))))
                    .isInstanceOf(InvalidValueException.class);
            assertThat(text(small.get("k"))).isEqualTo("a");
        }

        @Test
        void concurrentIncrementsAreNeverLost() throws Exception {
            incrementConcurrently(List.of(store, store), "counter", 8, 500);
            assertThat(text(store.get("counter"))).isEqualTo("4000");
        }

        @Test
        void writersRacingOnAMissingKeyAllApply() throws Exception {
            for (int round = 0; round < 5; round++) {
                incrementConcurrently(List.of(store), "fresh:" + round, 8, 1);
                assertThat(text(store.get("fresh:" + round))).isEqualTo("8");
            }
        }
    }

    /** Runs {@code threads} threads, spread over {@code stores}, each incrementing {@code key} {@code times} times. */
    static void incrementConcurrently(List<KvStore> stores, String key, int threads, int times) throws Exception {
        Concurrently.run(threads, thread -> {
            KvStore target = stores.get(thread % stores.size());
            for (int i = 0; i < times; i++) {
                target.update(
                        key, current -> v(String.valueOf(current == null ? 1 : Long.parseLong(text(current)) + 1)));
            }
        });
    }

    @Nested
    class Keys {

        @Test
        void keysListsLiveKeysWithThePrefixInOrder() {
            for (String key : List.of("user:3", "user:1", "order:1", "user:2", "users")) {
                store.set(key, v("x"));
            }
            assertThat(store.keys("user:")).containsExactly("user:1", "user:2", "user:3");
            assertThat(store.keys("user")).containsExactly("user:1", "user:2", "user:3", "users");
            assertThat(store.keys("")).hasSize(5);
            assertThat(store.keys("nothing")).isEmpty();
        }

        @Test
        void likeWildcardsInThePrefixAreLiteral() {
            for (String key : List.of("user_1", "userX1", "100%", "1000", "a\\b", "a\\\\b", "ab")) {
                store.set(key, v("x"));
            }
            assertThat(store.keys("user_")).containsExactly("user_1");
            assertThat(store.keys("100%")).containsExactly("100%");
            assertThat(store.keys("a\\")).containsExactly("a\\\\b", "a\\b");
        }

        @Test
        void prefixesEndingInTheLargestCharactersWork() {
            List<String> keys = List.of(
                    "a\uffff", "a\uffffb", "a\ud7ff", "a\ud7ffz", "a\ue000", "x\udbff\udfff", "x\udbff\udfffy", "y");
            keys.forEach(key -> store.set(key, v("x")));
            assertThat(store.keys("a\uffff")).containsExactly("a\uffff", "a\uffffb");
            assertThat(store.keys("a\ud7ff")).containsExactly("a\ud7ff", "a\ud7ffz");
            assertThat(store.keys("x\udbff\udfff")).containsExactly("x\udbff\udfff", "x\udbff\udfffy");
            assertThat(store.keys(""))
                    .containsExactlyElementsOf(
                            keys.stream().sorted(CODE_POINT_ORDER).toList());
        }

        @Test
        void aPrefixIsCheckedLikeAKey() {
            assertThatThrownBy(() -> store.keys((String) null))
                    .isInstanceOf(InvalidKeyException.class)
                    .hasMessage("prefix must not be null");
            assertThatThrownBy(() -> store.keys("a\u0000")).isInstanceOf(InvalidKeyException.class);
        }
    }

    @Nested
    class Validation {

        @Test
        void nullKeyIsRefused() {
            assertThatThrownBy(() -> store.set(null, v("a")))
                    .isInstanceOf(InvalidKeyException.class)
                    .hasMessage("key must not be null");
            assertThatThrownBy(() -> store.get(null)).isInstanceOf(InvalidKeyException.class);
        }

        @Test
        void emptyKeyIsRefused() {
            assertThatThrownBy(() -> store.set("", v("a")))
                    .isInstanceOf(InvalidKeyException.class)
                    .hasMessage("key must not be empty");
        }

        @Test
        void keyLongerThanTheMaximumIsRefused() {
            int max = store.config().limits().maxKeyBytes();
            String key = "é".repeat(max / 2) + "xx";
            int length = key.getBytes(StandardCharsets.UTF_8).length;
            assertThatThrownBy(() -> store.set(key, v("a")))
                    .isInstanceOf(InvalidKeyException.class)
                    .hasMessage("key is " + length + " bytes in UTF-8, more than the maximum of " + max);
        }

        @Test
        void keyWithNulIsRefused() {
            assertThatThrownBy(() -> store.set("a\u0000b", v("a")))
                    .isInstanceOf(InvalidKeyException.class)
                    .hasMessage("key must not contain the NUL character (at index 1)");
        }

        @Test
        void keyWithAnUnpairedSurrogateIsRefused() {
            assertThatThrownBy(() -> store.set("a\ud800", v("a")))
                    .isInstanceOf(InvalidKeyException.class)
                    .hasMessage("key must not contain an unpaired surrogate (at index 1)");
        }

        @Test
        void pointReadsRefuseBadKeysAndCountNothing() {
            store.set("k", v("a"));
            long gets = store.stats().gets();
            String tooLong = "x".repeat(store.config().limits().maxKeyBytes() + 1);
            for (String bad : Arrays.asList(null, "", "a\u0000b", "a\ud800", tooLong)) {
                assertThatThrownBy(() -> store.get(bad)).isInstanceOf(InvalidKeyException.class);
                assertThatThrownBy(() -> store.getEntry(bad)).isInstanceOf(InvalidKeyException.class);
                assertThatThrownBy(() -> store.exists(bad)).isInstanceOf(InvalidKeyException.class);
                assertThatThrownBy(() -> store.ttl(bad)).isInstanceOf(InvalidKeyException.class);
            }
            assertThat(store.stats().gets()).isEqualTo(gets);
        }

        @Test
        void nullValueIsRefused() {
            assertThatThrownBy(() -> store.set("k", null))
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessage("value must not be null");
        }

        @Test
        void valueLargerThanTheMaximumIsRefused() {
            KvStore small = openTracked(KvConfig.builder().clock(clock).limits(new Limits(64, 16)));
            assertThatThrownBy(() -> small.set("k", v("x".repeat(15))))
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessage("value is 17 bytes, more than the maximum of 16");
            assertThatThrownBy(() -> small.setIfAbsent("k", v("x".repeat(15))))
                    .isInstanceOf(InvalidValueException.class);
            assertThat(small.exists("k")).isFalse();
        }

        @Test
        void refusedInputChangesNothing() {
            store.set("k", v("a"));
            assertThatThrownBy(() -> store.set("k", null)).isInstanceOf(KvValidationException.class);
            assertThatThrownBy(() -> store.update("k", Duration.ZERO, current -> v("b")))
                    .isInstanceOf(KvValidationException.class);
            assertThat(text(store.get("k"))).isEqualTo("a");
            assertThat(store.getEntry("k").orElseThrow().version()).isEqualTo(1);
        }
    }

    static Map<String, byte[]> values(String... keysAndTexts) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndTexts.length; i += 2) {
            values.put(keysAndTexts[i], v(keysAndTexts[i + 1]));
        }
        return values;
    }

    static Map<String, String> texts(Map<String, byte[]> values) {
        Map<String, String> texts = new LinkedHashMap<>();
        values.forEach((key, value) -> texts.put(key, text(value)));
        return texts;
    }

    @Nested
    class Batches {

        @Test
        void getManyReturnsLiveValuesInTheOrderAsked() {
            store.setMany(values("a", "1", "b", "2", "c", "3"));
            store.set("gone", v("x"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertThat(texts(store.getMany(List.of("c", "missing", "a", "gone", "a"))))
                    .containsExactly(Map.entry("c", "3"), Map.entry("a", "1"));
        }

        @Test
        void getManyOfNoKeysIsEmpty() {
            assertThat(store.getMany(List.of())).isEmpty();
        }

        @Test
        void setManyWritesEveryEntryWithItsTtl() {
            store.set("b", v("old"));
            store.setMany(values("a", "1", "b", "2"), Duration.ofMinutes(1));
            assertThat(texts(store.getMany(List.of("a", "b"))))
                    .containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
            assertThat(store.ttl("b").remaining()).contains(Duration.ofMinutes(1));
            assertThat(store.getEntry("b").orElseThrow().version()).isEqualTo(2);
            clock.advance(Duration.ofMinutes(1));
            assertThat(store.getMany(List.of("a", "b"))).isEmpty();
        }

        @Test
        void setManyWithOneInvalidEntryWritesNothing() {
            Map<String, byte[]> batch = values("a", "1", "b", "2");
            batch.put("a\u0000", v("3"));
            assertThatThrownBy(() -> store.setMany(batch)).isInstanceOf(InvalidKeyException.class);
            Map<String, byte[]> nullValue = values("a", "1");
            nullValue.put("b", null);
            assertThatThrownBy(() -> store.setMany(nullValue)).isInstanceOf(InvalidValueException.class);
            assertThat(store.keys("")).isEmpty();
        }

        @Test
        void deleteManyCountsTheLiveEntriesItRemoved() {
            store.setMany(values("a", "1", "b", "2", "c", "3"));
            store.set("gone", v("x"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.deleteMany(List.of("a", "c", "missing", "gone", "a")))
                    .isEqualTo(2);
            assertThat(store.keys("")).containsExactly("b");
        }

        @Test
        void batchesOfFiveHundredKeysRoundTrip() {
            Map<String, byte[]> batch = new LinkedHashMap<>();
            for (int i = 0; i < 500; i++) {
                batch.put("bulk:" + i, v("value-" + i));
            }
            store.setMany(batch);
            assertThat(store.getMany(batch.keySet())).hasSize(500);
            assertThat(text(store.get("bulk:499"))).isEqualTo("value-499");
            assertThat(store.deleteMany(batch.keySet())).isEqualTo(500);
        }

        @Test
        void batchesOverlappingInOppositeOrderNeverDeadlock() throws Exception {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                keys.add("shared:" + i);
            }
            List<String> reversed = new ArrayList<>(keys);
            java.util.Collections.reverse(reversed);
            List<List<String>> orders = List.of(keys, reversed);
            Concurrently.run(2, writer -> {
                List<String> order = orders.get(writer);
                String text = "writer-" + writer;
                for (int round = 0; round < 20; round++) {
                    Map<String, byte[]> batch = new LinkedHashMap<>();
                    order.forEach(key -> batch.put(key, v(text)));
                    store.setMany(batch);
                }
            });
            assertThat(store.getMany(keys)).hasSize(50);
        }
    }

    @Nested
    class Counters {

        @Test
        void incrementOfAnAbsentKeyStartsFromZero() {
            assertThat(store.increment("visits")).isEqualTo(1);
            assertThat(store.increment("visits", 41)).isEqualTo(42);
            assertThat(text(store.get("visits").map(value -> ("\"" + new String(value, StandardCharsets.UTF_8) + "\"")
                            .getBytes(StandardCharsets.UTF_8))))
                    .isEqualTo("42");
            assertThat(store.ttl("visits")).isEqualTo(Ttl.persistent());
        }

        @Test
        void decrementGoesBelowZero() {
            assertThat(store.decrement("stock", 3)).isEqualTo(-3);
            assertThat(store.decrement("stock")).isEqualTo(-4);
            assertThat(store.increment("stock", 10)).isEqualTo(6);
        }

        @Test
        void incrementKeepsTheExpiryOfALiveCounter() {
            store.set("window", "5".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
            clock.advance(Duration.ofSeconds(10));
            assertThat(store.increment("window")).isEqualTo(6);
            assertThat(store.ttl("window").remaining()).contains(Duration.ofSeconds(50));
            assertThat(store.getEntry("window").orElseThrow().version()).isEqualTo(2);
        }

        @Test
        void anExpiredCounterStartsAgainFromZero() {
            store.set("window", "5".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
            clock.advance(Duration.ofMinutes(1));
            assertThat(store.increment("window", 2)).isEqualTo(2);
            assertThat(store.ttl("window")).isEqualTo(Ttl.persistent());
        }

        @Test
        void aValueThatIsNotAnIntegerIsATypeMismatchAndStaysUnchanged() {
            for (String notAnInteger : List.of("\"12\"", "1.5", "{\"n\": 1}", "true", "99999999999999999999")) {
                store.set("odd", notAnInteger.getBytes(StandardCharsets.UTF_8));
                assertThatThrownBy(() -> store.increment("odd"))
                        .as(notAnInteger)
                        .isInstanceOf(TypeMismatchException.class)
                        .hasMessageMatching("value of \"(.*:)?odd\" is not an integer that fits a long");
                assertThat(store.getEntry("odd").orElseThrow().version()).isEqualTo(1);
                store.delete("odd");
            }
        }

        @Test
        void overflowIsAnErrorNotAWrap() {
            store.increment("big", Long.MAX_VALUE);
            assertThatThrownBy(() -> store.increment("big")).isInstanceOf(CounterOverflowException.class);
            assertThat(store.increment("big", 0)).isEqualTo(Long.MAX_VALUE);
            assertThatThrownBy(() -> store.decrement("small", Long.MIN_VALUE))
                    .isInstanceOf(CounterOverflowException.class);
        }

        @Test
        void concurrentIncrementsAreNeverLost() throws Exception {
            Concurrently.run(8, thread -> {
                for (int i = 0; i < 250; i++) {
                    store.increment("hits");
                }
            });
            assertThat(store.increment("hits", 0)).isEqualTo(2000);
        }
    }

    @Nested
    class Scans {

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
            assertThat(store.keys(ScanOptions.range("order:2", "user:3")))
                    .containsExactly("order:2", "user:1", "user:2");
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
            assertThatThrownBy(() -> ScanOptions.all().offset(-1))
                    .hasMessage("offset must not be negative, but was -1");
            assertThatThrownBy(() -> ScanOptions.range("b", "a"))
                    .hasMessage("range from \"b\" must not be after to \"a\"");
            assertThatThrownBy(() -> store.keys(ScanOptions.prefix("a\u0000"))).isInstanceOf(InvalidKeyException.class);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    class AtomicOperations {

        @Test
        void compareAndSwapSwapsWhenTheValueMatches() {
            store.set("lock", v("owner-1"), Duration.ofMinutes(1));
            assertThat(store.compareAndSwap("lock", v("owner-1"), v("owner-2")))
                    .isEqualTo(new CasResult(Outcome.SWAPPED, Optional.empty()));
            assertThat(text(store.get("lock"))).isEqualTo("owner-2");
            assertThat(store.ttl("lock").remaining()).contains(Duration.ofMinutes(1));
        }

        @Test
        void compareAndSwapReportsAMismatchWithTheCurrentValue() {
            store.set("lock", v("owner-1"));
            CasResult result = store.compareAndSwap("lock", v("owner-9"), v("owner-2"));
            assertThat(result.outcome()).isEqualTo(Outcome.MISMATCH);
            assertThat(result.current().map(KvStoreContract::text)).contains("owner-1");
            assertThat(store.getEntry("lock").orElseThrow().version()).isEqualTo(1);
        }

        @Test
        void compareAndSwapOfAnAbsentOrExpiredKeyIsNotFound() {
            assertThat(store.compareAndSwap("lock", v("a"), v("b")).outcome()).isEqualTo(Outcome.NOT_FOUND);
            store.set("lock", v("a"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.compareAndSwap("lock", v("a"), v("b")).outcome()).isEqualTo(Outcome.NOT_FOUND);
            assertThat(store.exists("lock")).isFalse();
        }

        @Test
        void getAndSetReturnsThePreviousValue() {
            assertThat(store.getAndSet("k", v("first"))).isEmpty();
            assertThat(text(store.getAndSet("k", v("second")))).isEqualTo("first");
            assertThat(text(store.getAndSet("k", v("third"), Duration.ofSeconds(5))))
                    .isEqualTo("second");
            assertThat(store.ttl("k").remaining()).contains(Duration.ofSeconds(5));
        }

        @Test
        void getAndDeleteRemovesAndReturns() {
            store.set("k", v("a"));
            assertThat(text(store.getAndDelete("k"))).isEqualTo("a");
            assertThat(store.exists("k")).isFalse();
            assertThat(store.getAndDelete("k")).isEmpty();
        }

        @Test
        void getOrThrowThrowsForAnAbsentKey() {
            store.set("k", v("a"));
            assertThat(text(store.getOrThrow("k"))).isEqualTo("a");
            assertThatThrownBy(() -> store.getOrThrow("missing"))
                    .isInstanceOfSatisfying(
                            KeyNotFoundException.class, e -> assertThat(e.key()).isEqualTo("missing"))
                    .hasMessage("key \"missing\" is absent or expired");
        }

        @Test
        void jsonMergePatchMergesRemovesAndReplaces() {
            if (store.config().format() != ValueFormat.JSONB) {
                assertThatThrownBy(() -> store.patch("doc", utf8("{}"))).isInstanceOf(TypeMismatchException.class);
                return;
            }
            store.set(
                    "doc",
                    utf8(
                            "{\"name\": \"ada\", \"tags\": [\"a\"], \"address\": {\"city\": \"London\", \"zip\": \"N1\"}}"));
            byte[] patched = store.patch(
                    "doc", utf8("{\"tags\": [\"b\"], \"address\": {\"zip\": null, \"street\": \"x\"}, \"age\": 36}"));
            assertThat(JsonAssert.tree(patched))
                    .isEqualTo(
                            JsonAssert.tree(
                                    utf8(
                                            "{\"name\": \"ada\", \"tags\": [\"b\"], \"address\": {\"city\": \"London\", \"street\": \"x\"}, \"age\": 36}")));
            assertThat(JsonAssert.tree(store.get("doc").orElseThrow())).isEqualTo(JsonAssert.tree(patched));
            assertThat(JsonAssert.tree(store.patch("new", utf8("{\"a\": 1, \"b\": null}"))))
                    .isEqualTo(JsonAssert.tree(utf8("{\"a\": 1}")));
            assertThatThrownBy(() -> store.patch("doc", utf8("{oops"))).isInstanceOf(InvalidValueException.class);
        }

        @Test
        void compareAndSwapInAJsonbStoreComparesJsonValues() {
            if (store.config().format() != ValueFormat.JSONB) {
                store.set("doc", utf8("{\"a\":1}"));
                assertThat(store.compareAndSwap("doc", utf8("{\"a\": 1}"), utf8("2"))
                                .outcome())
                        .isEqualTo(Outcome.MISMATCH);
                return;
            }
            store.set("doc", utf8("{\"b\": [1, 2], \"a\": 1.0}"));
            assertThat(store.compareAndSwap("doc", utf8("{\"a\":1,\"b\":[1,2]}"), utf8("2"))
                            .outcome())
                    .isEqualTo(Outcome.SWAPPED);
        }
    }

    @Nested
    class GlobScans {

        @BeforeEach
        void fill() {
            for (String key : List.of(
                    "user:1:name", "user:2:name", "user:10:mail", "user:x:name", "users", "a*b", "a?b", "a[b")) {
                store.set(key, v("x"));
            }
        }

        @Test
        void starAndQuestionMark() {
            assertThat(store.keys(ScanOptions.glob("user:*:name")))
                    .containsExactly("user:1:name", "user:2:name", "user:x:name");
            assertThat(store.keys(ScanOptions.glob("user:?:name")))
                    .containsExactly("user:1:name", "user:2:name", "user:x:name");
            assertThat(store.keys(ScanOptions.glob("user:??:*"))).containsExactly("user:10:mail");
            assertThat(store.keys(ScanOptions.glob("*s"))).containsExactly("users");
        }

        @Test
        void characterClassesAndNegation() {
            assertThat(store.keys(ScanOptions.glob("user:[12]:name"))).containsExactly("user:1:name", "user:2:name");
            assertThat(store.keys(ScanOptions.glob("user:[0-9]:*"))).containsExactly("user:1:name", "user:2:name");
            assertThat(store.keys(ScanOptions.glob("user:[!0-9]:*"))).containsExactly("user:x:name");
        }

        @Test
        void escapedWildcardsAreLiteral() {
            assertThat(store.keys(ScanOptions.glob("a\\*b"))).containsExactly("a*b");
            assertThat(store.keys(ScanOptions.glob("a\\?b"))).containsExactly("a?b");
            assertThat(store.keys(ScanOptions.glob("a\\[b"))).containsExactly("a[b");
            assertThat(store.keys(ScanOptions.glob("a?b"))).containsExactly("a*b", "a?b", "a[b");
        }

        @Test
        void globsCountAndPageLikeOtherScans() {
            assertThat(store.count(ScanOptions.glob("user:*"))).isEqualTo(4);
            assertThat(store.keys(ScanOptions.glob("user:*").descending().limit(2)))
                    .containsExactly("user:x:name", "user:2:name");
        }

        @Test
        void unicodeCharactersAreOneCharacter() {
            store.set("emoji:😀", v("x"));
            store.set("emoji:ab", v("x"));
            assertThat(store.keys(ScanOptions.glob("emoji:?"))).containsExactly("emoji:😀");
        }

        @Test
        void malformedPatternsAreTypedErrors() {
            for (String pattern : List.of("user:[", "user:[]", "a\\", "[z-a]")) {
                assertThatThrownBy(() -> ScanOptions.glob(pattern))
                        .as(pattern)
                        .isInstanceOf(InvalidPatternException.class);
            }
        }
    }

    @Nested
    class Namespaces {

        @Test
        void namespacesNeverSeeEachOthersKeys() {
            KvStore alice = store.namespace("app", "alice");
            KvStore bob = store.namespace("app", "bob");
            alice.set("cart", v("book"));
            bob.set("cart", v("pen"));
            alice.set("cart:2", v("lamp"));
            assertThat(text(alice.get("cart"))).isEqualTo("book");
            assertThat(text(bob.get("cart"))).isEqualTo("pen");
            assertThat(alice.keys("")).containsExactly("cart", "cart:2");
            assertThat(bob.keys(ScanOptions.all())).containsExactly("cart");
            assertThat(alice.count(ScanOptions.all())).isEqualTo(2);
            assertThat(alice.clear()).isEqualTo(2);
            assertThat(text(bob.get("cart"))).isEqualTo("pen");
        }

        @Test
        void theStoreSeesNamespacedKeysWithTheirPrefix() {
            store.namespace("app", "users").set("42", v("ada"));
            assertThat(store.keys("app:")).containsExactly("app:users:42");
            assertThat(store.namespace("app")
                            .namespace("users")
                            .getEntry("42")
                            .orElseThrow()
                            .key())
                    .isEqualTo("42");
        }

        @Test
        void scansGlobsAndBatchesStayInTheNamespace() {
            KvStore ns = store.namespace("t1");
            store.set("t10:x", v("outside"));
            ns.setMany(values("a:1", "1", "a:2", "2", "b:1", "3"));
            assertThat(ns.keys(ScanOptions.glob("a:*"))).containsExactly("a:1", "a:2");
            assertThat(ns.keys(ScanOptions.glob("*"))).hasSize(3);
            assertThat(ns.keys(ScanOptions.range("a:2", null))).containsExactly("a:2", "b:1");
            assertThat(ns.keys(ScanOptions.all().descending().after("b:1"))).containsExactly("a:2", "a:1");
            assertThat(ns.scan(ScanOptions.prefix("b")).get(0).key()).isEqualTo("b:1");
            assertThat(texts(ns.getMany(List.of("a:1", "b:1"))))
                    .containsExactly(Map.entry("a:1", "1"), Map.entry("b:1", "3"));
            assertThat(ns.increment("hits")).isEqualTo(1);
            assertThat(ns.deleteMany(List.of("a:1", "hits"))).isEqualTo(2);
            assertThat(text(store.get("t10:x"))).isEqualTo("outside");
        }

        @Test
        void namespaceNamesAreChecked() {
            assertThatThrownBy(() -> store.namespace("a:b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("namespace names must be non-empty and free of ':', but was [a:b]");
            assertThatThrownBy(() -> store.namespace("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.namespace()).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() ->
                            store.namespace("x".repeat(store.config().limits().maxKeyBytes())))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void theLongestKeyShrinksByTheNamespace() {
            KvStore ns = store.namespace("ns");
            int max = store.config().limits().maxKeyBytes() - "ns:".length();
            assertThat(ns.config().limits().maxKeyBytes()).isEqualTo(max);
            ns.set("k".repeat(max), v("x"));
            assertThatThrownBy(() -> ns.set("k".repeat(max + 1), v("x"))).isInstanceOf(InvalidKeyException.class);
        }
    }

    record Session(String user, List<String> cart, Instant since) {}

    @Nested
    class TypedStores {

        @Test
        void jsonValuesRoundTripThroughTheCodec() {
            TypedKvStore<String, Session> sessions = TypedKvStore.json(store, Session.class);
            Session session = new Session("ada", List.of("book"), START);
            sessions.set("s-1", session, Duration.ofMinutes(30));
            assertThat(sessions.get("s-1")).contains(session);
            assertThat(sessions.ttl("s-1").remaining()).contains(Duration.ofMinutes(30));
            assertThat(JsonAssert.tree(store.get("s-1").orElseThrow())
                            .get("user")
                            .asText())
                    .isEqualTo("ada");
        }

        @Test
        void typedUpdateIsAtomicAndSeesNullWhenAbsent() {
            TypedKvStore<String, Session> sessions = TypedKvStore.json(store, Session.class);
            sessions.update("s-1", current -> current == null ? new Session("ada", List.of(), START) : current);
            Optional<Session> updated =
                    sessions.update("s-1", current -> new Session(current.user(), List.of("pen"), current.since()));
            assertThat(updated.map(Session::cart)).contains(List.of("pen"));
        }

        @Test
        void keysOfAnotherTypeAreMappedBothWays() {
            TypedKvStore<java.util.UUID, Session> byId = TypedKvStore.of(
                    store.namespace("sessions"),
                    KeyMapper.of(java.util.UUID::toString, java.util.UUID::fromString),
                    ValueCodec.json(Session.class));
            java.util.UUID id = java.util.UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
            byId.setMany(Map.of(id, new Session("bob", List.of(), START)));
            assertThat(byId.keys(ScanOptions.all())).containsExactly(id);
            assertThat(byId.getMany(List.of(id))).containsOnlyKeys(id);
            assertThat(byId.scan(ScanOptions.all()).get(id).user()).isEqualTo("bob");
            assertThat(store.exists("sessions:" + id)).isTrue();
        }

        @Test
        void aStoredValueOfAnotherShapeIsATypeMismatch() {
            store.set("s-1", v("just text"));
            TypedKvStore<String, Session> sessions = TypedKvStore.json(store, Session.class);
            assertThatThrownBy(() -> sessions.get("s-1")).isInstanceOf(TypeMismatchException.class);
            assertThatThrownBy(() -> sessions.set("s-2", null)).isInstanceOf(InvalidValueException.class);
        }
    }

    @Nested
    class Versions {

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

    @Nested
    class Transactions {

        @Test
        void operationsInATransactionCommitTogether() {
            long left = store.inTransaction(tx -> {
                tx.set("stock:42", utf8("3"));
                long remaining = tx.decrement("stock:42");
                tx.set("order:7", v("sku-42"), Duration.ofMinutes(5));
                assertThat(text(tx.get("order:7"))).isEqualTo("sku-42");
                return remaining;
            });
            assertThat(left).isEqualTo(2);
            assertThat(store.increment("stock:42", 0)).isEqualTo(2);
            assertThat(text(store.get("order:7"))).isEqualTo("sku-42");
        }

        @Test
        void anExceptionRollsBackEveryOperationAndReachesTheCaller() {
            store.set("balance:a", utf8("100"));
            store.set("balance:b", utf8("0"));
            IllegalStateException refused = new IllegalStateException("limit exceeded");
            assertThatThrownBy(() -> store.inTransaction(tx -> {
                        tx.decrement("balance:a", 150);
                        tx.increment("balance:b", 150);
                        tx.delete("balance:a");
                        tx.setMany(values("audit:1", "transfer"));
                        throw refused;
                    }))
                    .isSameAs(refused);
            assertThat(store.increment("balance:a", 0)).isEqualTo(100);
            assertThat(store.increment("balance:b", 0)).isZero();
            assertThat(store.exists("audit:1")).isFalse();
        }

        @Test
        void concurrentTransfersKeepTheTotal() throws Exception {
            store.set("account:a", utf8("1000"));
            store.set("account:b", utf8("1000"));
            Concurrently.run(4, thread -> {
                boolean forward = thread % 2 == 0;
                for (int i = 0; i < 25; i++) {
                    String from = forward ? "account:a" : "account:b";
                    String to = forward ? "account:b" : "account:a";
                    store.inTransaction(tx -> {
                        // lock both in one order, whatever the direction
                        tx.increment("account:a", 0);
                        tx.increment("account:b", 0);
                        tx.decrement(from, 7);
                        return tx.increment(to, 7);
                    });
                }
            });
            assertThat(store.increment("account:a", 0) + store.increment("account:b", 0))
                    .isEqualTo(2000);
        }
    }

    @Nested
    class AtomicBatches {

        @Test
        void putsAndDeletesApplyInOrderWithAResultEach() {
            store.set("x", v("old"));
            List<Boolean> results = store.apply(List.of(
                    Mutation.put("a", v("1")),
                    Mutation.delete("x"),
                    Mutation.delete("missing"),
                    Mutation.put("b", v("2"), Duration.ofMinutes(1)),
                    Mutation.delete("a")));
            assertThat(results).containsExactly(true, true, false, true, true);
            assertThat(store.keys("")).containsExactly("b");
            assertThat(store.ttl("b").remaining()).contains(Duration.ofMinutes(1));
        }

        @Test
        void anInvalidMutationWritesNothing() {
            store.set("x", v("old"));
            assertThatThrownBy(() -> store.apply(List.of(Mutation.delete("x"), Mutation.put("", v("1")))))
                    .isInstanceOf(InvalidKeyException.class);
            assertThatThrownBy(
                            () -> store.apply(List.of(Mutation.delete("x"), Mutation.put("y", v("1"), Duration.ZERO))))
                    .isInstanceOf(KvValidationException.class);
            assertThat(store.keys("")).containsExactly("x");
            assertThat(store.apply(List.of())).isEmpty();
        }

        @Test
        void expiredEntriesCountAsAbsent() {
            store.set("gone", v("x"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.apply(List.of(Mutation.delete("gone")))).containsExactly(false);
        }

        @Test
        void batchesOverlappingInOppositeOrderNeverDeadlock() throws Exception {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                keys.add("shared:" + i);
            }
            List<String> reversed = new ArrayList<>(keys);
            java.util.Collections.reverse(reversed);
            List<List<String>> orders = List.of(keys, reversed);
            Concurrently.run(2, writer -> {
                List<String> order = orders.get(writer);
                for (int round = 0; round < 20; round++) {
                    List<Mutation> batch = new ArrayList<>();
                    for (int i = 0; i < order.size(); i++) {
                        batch.add(i % 3 == 0 ? Mutation.delete(order.get(i)) : Mutation.put(order.get(i), v("w")));
                    }
                    store.apply(batch);
                }
            });
        }
    }

    @Nested
    class Stats {

        @Test
        void countersFollowTheOperations() {
            store.set("a", v("x"));
            store.set("b", v("y"), Duration.ofSeconds(1));
            store.get("a");
            store.get("missing");
            store.getMany(List.of("a", "missing"));
            store.delete("a");
            clock.advance(Duration.ofSeconds(1));
            store.cleanupExpired();

            KvStats stats = store.stats();
            assertThat(stats.gets()).isEqualTo(4);
            assertThat(stats.hits()).isEqualTo(2);
            assertThat(stats.misses()).isEqualTo(2);
            assertThat(stats.hitRate()).isEqualTo(0.5);
            assertThat(stats.sets()).isEqualTo(2);
            assertThat(stats.deletes()).isEqualTo(1);
            assertThat(stats.expirations()).isEqualTo(1);
            assertThat(stats.entryCount()).isZero();
            assertThat(stats.totalValueBytes()).isZero();
        }

        @Test
        void sizeCountsLiveEntriesOnly() {
            store.set("a", v("x"));
            store.set("b", v("yy"), Duration.ofSeconds(1));
            assertThat(store.stats().entryCount()).isEqualTo(2);
            clock.advance(Duration.ofSeconds(1));
            KvStats stats = store.stats();
            assertThat(stats.entryCount()).isEqualTo(1);
            assertThat(stats.totalValueBytes()).isGreaterThanOrEqualTo(3);
        }
    }

    @Nested
    class CleanupStrategies {

        private KvStore storeWith(CleanupStrategy strategy) {
            return openTracked(KvConfig.builder().clock(clock).cleanupStrategy(strategy));
        }

        private void expireAfterOneSecond(KvStore target, String... keys) {
            for (String key : keys) {
                target.set(key, v(key), Duration.ofSeconds(1));
            }
            clock.advance(Duration.ofSeconds(1));
        }

        @Test
        void manualIsTheDefault() {
            assertThat(store.config().cleanupStrategy()).isEqualTo(CleanupStrategy.MANUAL);
        }

        @Test
        void manualLeavesRowsUntilCleanup() {
            expireAfterOneSecond(store, "k");
            assertThat(store.get("k")).isEmpty();
            assertThat(store.getMany(List.of("k"))).isEmpty();
            assertThat(store.stats().expirations()).isZero();
            assertThat(store.cleanupExpired()).isEqualTo(1);
            assertThat(store.stats().expirations()).isEqualTo(1);
        }

        @Test
        void onReadGetOfExpiredEntryDeletesTheRow() {
            KvStore onRead = storeWith(CleanupStrategy.ON_READ);
            expireAfterOneSecond(onRead, "k");
            assertThat(onRead.get("k")).isEmpty();
            assertThat(onRead.stats().expirations()).isEqualTo(1);
            assertThat(onRead.cleanupExpired()).isZero();
        }

        @Test
        void onReadEveryPointReadDeletesTheExpiredEntryItMeets() {
            KvStore onRead = storeWith(CleanupStrategy.ON_READ);
            expireAfterOneSecond(onRead, "entry", "exists", "ttl", "orThrow");
            assertThat(onRead.getEntry("entry")).isEmpty();
            assertThat(onRead.exists("exists")).isFalse();
            assertThat(onRead.ttl("ttl")).isEqualTo(Ttl.absent());
            assertThatThrownBy(() -> onRead.getOrThrow("orThrow")).isInstanceOf(KeyNotFoundException.class);
            assertThat(onRead.stats().expirations()).isEqualTo(4);
            assertThat(onRead.cleanupExpired()).isZero();
        }

        @Test
        void onReadGetManyDeletesEveryExpiredEntryItMeetsAndNoOther() {
            KvStore onRead = storeWith(CleanupStrategy.ON_READ);
            onRead.set("live", v("live"));
            expireAfterOneSecond(onRead, "a", "b", "unread");
            assertThat(onRead.getMany(List.of("a", "live", "b", "missing"))).containsOnlyKeys("live");
            assertThat(onRead.stats().expirations()).isEqualTo(2);
            assertThat(onRead.cleanupExpired()).isEqualTo(1);
            assertThat(text(onRead.get("live"))).isEqualTo("live");
        }

        @Test
        void onReadLeavesLiveEntriesAndScansDeleteNothing() {
            KvStore onRead = storeWith(CleanupStrategy.ON_READ);
            onRead.set("later", v("later"), Duration.ofMinutes(1));
            expireAfterOneSecond(onRead, "gone");
            assertThat(text(onRead.get("later"))).isEqualTo("later");
            assertThat(onRead.keys("")).containsExactly("later");
            assertThat(onRead.count(ScanOptions.all())).isEqualTo(1);
            assertThat(onRead.stats().expirations()).isZero();
            assertThat(onRead.cleanupExpired()).isEqualTo(1);
        }

        @Test
        void onReadAnEntryWrittenAgainAfterExpiryIsLive() {
            KvStore onRead = storeWith(CleanupStrategy.ON_READ);
            expireAfterOneSecond(onRead, "k");
            onRead.set("k", v("again"));
            assertThat(text(onRead.get("k"))).isEqualTo("again");
            assertThat(onRead.getEntry("k").orElseThrow().version()).isEqualTo(1);
        }

        @Test
        void disabledReturnsExpiredEntries() {
            KvStore disabled = storeWith(CleanupStrategy.DISABLED);
            disabled.set("k", v("a"), Duration.ofSeconds(1));
            clock.advance(Duration.ofMinutes(1));
            assertThat(text(disabled.get("k"))).isEqualTo("a");
            assertThat(disabled.getEntry("k").orElseThrow().expiresAt()).contains(START.plusSeconds(1));
            assertThat(disabled.exists("k")).isTrue();
            assertThat(disabled.getMany(List.of("k"))).containsOnlyKeys("k");
            assertThat(disabled.keys("")).containsExactly("k");
            assertThat(disabled.scan(ScanOptions.all())).extracting(Entry::key).containsExactly("k");
            assertThat(disabled.count(ScanOptions.all())).isEqualTo(1);
            assertThat(disabled.stats().entryCount()).isEqualTo(1);
        }

        @Test
        void disabledTtlReportsTheStoredExpiryAndZeroOnceItPassed() {
            KvStore disabled = storeWith(CleanupStrategy.DISABLED);
            disabled.set("k", v("a"), Duration.ofSeconds(30));
            clock.advance(Duration.ofSeconds(10));
            assertThat(disabled.ttl("k")).isEqualTo(Ttl.expiresIn(Duration.ofSeconds(20)));
            clock.advance(Duration.ofMinutes(1));
            assertThat(disabled.ttl("k")).isEqualTo(Ttl.expiresIn(Duration.ZERO));
        }

        @Test
        void disabledSetIfAbsentRefusesAnExpiredKey() {
            KvStore disabled = storeWith(CleanupStrategy.DISABLED);
            expireAfterOneSecond(disabled, "k");
            assertThat(disabled.setIfAbsent("k", v("other"))).isFalse();
            assertThat(text(disabled.get("k"))).isEqualTo("k");
        }

        @Test
        void disabledWritesContinueAnExpiredEntry() {
            KvStore disabled = storeWith(CleanupStrategy.DISABLED);
            disabled.set("n", "5".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(1));
            expireAfterOneSecond(disabled, "k");
            assertThat(disabled.increment("n", 1)).isEqualTo(6);
            disabled.set("k", v("b"));
            Entry entry = disabled.getEntry("k").orElseThrow();
            assertThat(entry.version()).isEqualTo(2);
            assertThat(entry.createdAt()).isEqualTo(START);
            assertThat(disabled.setIfVersion("k", v("c"), 2)).isEqualTo(3);
            assertThat(disabled.compareAndSwap("k", v("c"), v("d")).isSwapped()).isTrue();
            assertThat(disabled.delete("k")).isTrue();
        }

        @Test
        void disabledExpireAndPersistWorkOnAnExpiredEntry() {
            KvStore disabled = storeWith(CleanupStrategy.DISABLED);
            expireAfterOneSecond(disabled, "a", "b");
            assertThat(disabled.expire("a", Duration.ofMinutes(1))).isTrue();
            assertThat(disabled.ttl("a")).isEqualTo(Ttl.expiresIn(Duration.ofMinutes(1)));
            assertThat(disabled.persist("b")).isTrue();
            assertThat(disabled.ttl("b")).isEqualTo(Ttl.persistent());
        }

        @Test
        void disabledBatchesTreatExpiredEntriesAsLive() {
            KvStore disabled = storeWith(CleanupStrategy.DISABLED);
            expireAfterOneSecond(disabled, "a", "b", "c");
            disabled.setMany(Map.of("a", v("a2")));
            assertThat(disabled.getEntry("a").orElseThrow().version()).isEqualTo(2);
            assertThat(disabled.apply(List.of(Mutation.delete("b")))).containsExactly(true);
            assertThat(disabled.deleteMany(List.of("c", "missing"))).isEqualTo(1);
        }

        @Test
        void disabledCleanupDeletesNothing() {
            KvStore disabled = storeWith(CleanupStrategy.DISABLED);
            expireAfterOneSecond(disabled, "k");
            assertThat(disabled.cleanupExpired()).isZero();
            assertThat(disabled.stats().expirations()).isZero();
            assertThat(disabled.exists("k")).isTrue();
        }
    }

    @Nested
    class Locks {

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

    @Nested
    class ChangeStreams {

        private KvStore streamed;
        private ChangeStream changes;
        private long start;

        @BeforeEach
        void openStreamedStore() {
            streamed = openTracked(KvConfig.builder().clock(clock).changeStream(true));
            changes = streamed.changes();
            start = changes.lastSeq();
        }

        private List<Change> all() {
            return changes.read(start, 1_000);
        }

        private static List<String> described(List<Change> changes) {
            return changes.stream()
                    .map(change -> change.type() + " " + change.key() + " v" + change.version()
                            + change.value()
                                    .map(value -> " " + new String(value, StandardCharsets.UTF_8).replace("\"", ""))
                                    .orElse(""))
                    .toList();
        }

        private static void assertConsecutive(List<Change> changes, long after) {
            for (Change change : changes) {
                assertThat(change.seq()).isEqualTo(++after);
            }
        }

        @Test
        void setsAndDeletesAreRecordedInOrderWithVersionsAndValues() {
            streamed.set("k", v("a"));
            clock.advance(Duration.ofSeconds(1));
            streamed.set("k", v("b"));
            streamed.delete("k");
            List<Change> recorded = all();
            assertThat(described(recorded)).containsExactly("SET k v1 a", "SET k v2 b", "DELETE k v2");
            assertConsecutive(recorded, start);
            assertThat(recorded.get(0).at()).isEqualTo(START);
            assertThat(recorded.get(1).at()).isEqualTo(START.plusSeconds(1));
            assertThat(recorded.get(2).value()).isEmpty();
        }

        @Test
        void aSetRecordsTheExpiryOfTheEntry() {
            streamed.set("k", v("a"));
            streamed.set("k", v("b"), Duration.ofMinutes(1));
            assertThat(all())
                    .extracting(Change::expiresAt)
                    .containsExactly(Optional.empty(), Optional.of(START.plusSeconds(60)));
        }

        @Test
        void everyKindOfWriteIsRecordedAsSet() {
            streamed.setIfAbsent("a", v("1"));
            streamed.increment("n", 5);
            streamed.update("a", value -> v("2"));
            streamed.expire("a", Duration.ofMinutes(1));
            streamed.persist("a");
            streamed.setMany(values("b", "3"));
            assertThat(described(all()))
                    .containsExactly(
                            "SET a v1 1", "SET n v1 5", "SET a v2 2", "SET a v3 2", "SET a v4 2", "SET b v1 3");
        }

        @Test
        void anEntryRemovedAfterItExpiredIsRecordedAsExpired() {
            streamed.set("short", v("a"), Duration.ofSeconds(1));
            streamed.set("other", v("b"), Duration.ofSeconds(1));
            clock.advance(Duration.ofSeconds(2));
            assertThat(streamed.cleanupExpired()).isEqualTo(2);
            assertThat(described(all()))
                    .containsExactlyInAnyOrder(
                            "SET short v1 a", "SET other v1 b", "EXPIRED short v1", "EXPIRED other v1");
        }

        @Test
        void readReturnsTheChangesAfterASeqInPagesOfTheLimit() {
            for (int i = 1; i <= 5; i++) {
                streamed.set("k" + i, v("v" + i));
            }
            List<Change> first = changes.read(start, 2);
            List<Change> second = changes.read(first.get(1).seq(), 2);
            List<Change> rest = changes.read(second.get(1).seq(), 10);
            assertThat(first).extracting(Change::key).containsExactly("k1", "k2");
            assertThat(second).extracting(Change::key).containsExactly("k3", "k4");
            assertThat(rest).extracting(Change::key).containsExactly("k5");
            assertThat(changes.read(rest.get(0).seq(), 10)).isEmpty();
        }

        @Test
        void readOfAKeyPrefixReturnsOnlyItsKeys() {
            streamed.set("user:1", v("a"));
            streamed.set("order:1", v("b"));
            streamed.set("user:2", v("c"));
            assertThat(changes.read(start, 10, "user:")).extracting(Change::key).containsExactly("user:1", "user:2");
        }

        @Test
        void lastSeqIsTheSeqOfTheNewestChangeAndTrimmingKeepsIt() {
            streamed.set("a", v("1"));
            streamed.set("b", v("2"));
            long last = changes.lastSeq();
            assertThat(last).isEqualTo(start + 2);
            assertThat(changes.trim(last)).isEqualTo(2);
            assertThat(changes.lastSeq()).isEqualTo(last);
            streamed.set("c", v("3"));
            assertThat(changes.read(last, 10)).extracting(Change::seq).containsExactly(last + 1);
        }

        @Test
        void trimDeletesTheChangesUpToTheSeqAndKeepsTheRest() {
            streamed.set("a", v("1"));
            streamed.set("b", v("2"));
            streamed.set("c", v("3"));
            assertThat(changes.trim(start + 2)).isEqualTo(2);
            assertThat(changes.read(start, 10)).extracting(Change::key).containsExactly("c");
            assertThat(changes.trim(start + 2)).isZero();
        }

        @Test
        void aConsumerStartsAtZeroAndKeepsTheSeqItCommits() {
            StreamConsumer consumer = changes.consumer("indexer");
            assertThat(consumer.position()).isZero();
            streamed.set("a", v("1"));
            streamed.set("b", v("2"));
            consumer.commit(start + 1);
            assertThat(consumer.position()).isEqualTo(start + 1);
            assertThat(changes.consumer("indexer").position()).isEqualTo(start + 1);
            assertThat(changes.read(consumer.position(), 10))
                    .extracting(Change::key)
                    .containsExactly("b");
        }

        @Test
        void aConsumerStatusShowsPositionLastSeqAndLag() {
            streamed.set("a", v("1"));
            streamed.set("b", v("2"));
            streamed.set("c", v("3"));
            StreamConsumer consumer = changes.consumer("indexer");
            consumer.commit(start + 1);
            assertThat(consumer.status()).isEqualTo(new ConsumerStatus("indexer", start + 1, start + 3));
            assertThat(consumer.status().lag()).isEqualTo(2);
        }

        @Test
        void aDeletedConsumerIsBackAtZero() {
            streamed.set("a", v("1"));
            StreamConsumer consumer = changes.consumer("indexer");
            consumer.commit(start + 1);
            assertThat(consumer.delete()).isTrue();
            assertThat(consumer.position()).isZero();
            assertThat(consumer.delete()).isFalse();
        }

        @Test
        void consumersAreIndependent() {
            streamed.set("a", v("1"));
            changes.consumer("one").commit(start + 1);
            assertThat(changes.consumer("two").position()).isZero();
        }

        @Test
        void aConsumerCannotCommitBeyondTheLastSeq() {
            streamed.set("a", v("1"));
            StreamConsumer consumer = changes.consumer("indexer");
            assertThatThrownBy(() -> consumer.commit(start + 2))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessage("consumer \"indexer\" cannot commit seq " + (start + 2) + ": the stream's last seq is "
                            + (start + 1));
            assertThat(consumer.position()).isZero();
        }

        @Test
        void anAtomicBatchIsRecordedWhole() {
            streamed.set("gone", v("0"));
            streamed.apply(List.of(Mutation.put("a", v("1")), Mutation.put("b", v("2")), Mutation.delete("gone")));
            assertThat(described(all()))
                    .containsExactlyInAnyOrder("SET gone v1 0", "SET a v1 1", "SET b v1 2", "DELETE gone v1");
            assertConsecutive(all(), start);
        }

        @Test
        void aRolledBackTransactionRecordsNothing() {
            streamed.set("a", v("1"));
            long before = changes.lastSeq();
            assertThatThrownBy(() -> streamed.inTransaction(tx -> {
                        tx.set("a", v("2"));
                        tx.set("b", v("3"));
                        tx.delete("a");
                        throw new IllegalStateException("refused");
                    }))
                    .hasMessage("refused");
            streamed.set("c", v("4"));
            assertThat(described(changes.read(before, 10))).containsExactly("SET c v1 4");
        }

        @Test
        void aCommittedTransactionRecordsItsChangesTogether() {
            streamed.inTransaction(tx -> {
                tx.set("a", v("1"));
                tx.set("a", v("2"));
                return tx.delete("a");
            });
            assertThat(described(all())).containsExactly("SET a v1 1", "SET a v2 2", "DELETE a v2");
            assertConsecutive(all(), start);
        }

        @Test
        void aNamespaceSeesOnlyItsOwnChangesWithoutThePrefix() {
            KvStore a = streamed.namespace("a");
            KvStore b = streamed.namespace("b");
            a.set("k", v("1"));
            b.set("k", v("2"));
            a.delete("k");
            assertThat(described(a.changes().read(start, 10))).containsExactly("SET k v1 1", "DELETE k v1");
            assertThat(described(b.changes().read(start, 10))).containsExactly("SET k v1 2");
        }

        @Test
        void aNamespaceHasItsOwnConsumersAndTrimsOnlyItsOwnChanges() {
            KvStore a = streamed.namespace("a");
            KvStore b = streamed.namespace("b");
            a.set("k", v("1"));
            b.set("k", v("2"));
            a.changes().consumer("indexer").commit(start + 2);
            assertThat(b.changes().consumer("indexer").position()).isZero();
            assertThat(changes.consumer("indexer").position()).isZero();
            assertThat(a.changes().trim(start + 2)).isEqualTo(1);
            assertThat(b.changes().read(start, 10)).hasSize(1);
        }

        @Test
        void invalidArgumentsAreRefusedWithTypedErrors() {
            assertThatThrownBy(() -> changes.read(-1, 10))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessage("afterSeq must not be negative, but was -1");
            assertThatThrownBy(() -> changes.read(0, 0))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessage("limit must be positive, but was 0");
            assertThatThrownBy(() -> changes.read(0, 1, null))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessage("keyPrefix must not be null");
            assertThatThrownBy(() -> changes.trim(-5))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessage("uptoSeq must not be negative, but was -5");
            assertThatThrownBy(() -> changes.consumer(" "))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessage("consumer name must be 1 to 200 characters, not blank and without control characters,"
                            + " but was \" \"");
            assertThatThrownBy(() -> changes.consumer(null))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessage("consumer name must not be null");
            assertThatThrownBy(() -> changes.consumer("x".repeat(201))).isInstanceOf(KvValidationException.class);
            assertThatThrownBy(() -> changes.consumer("indexer").commit(-1))
                    .isInstanceOf(KvValidationException.class)
                    .hasMessage("seq must not be negative, but was -1");
        }

        @Test
        void aStoreWithoutTheStreamRefusesChanges() {
            assertThatThrownBy(() -> store.changes())
                    .isInstanceOf(ChangeStreamDisabledException.class)
                    .hasMessageContaining("changeStream(true)");
        }
    }
}
