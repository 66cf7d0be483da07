package dev.kv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.CleanupStrategy;
import dev.kv.Expiry;
import dev.kv.InvalidKeyException;
import dev.kv.InvalidValueException;
import dev.kv.KeyCollisionException;
import dev.kv.KeyHasher;
import dev.kv.KvConfig;
import dev.kv.KvStats;
import dev.kv.KvValidationException;
import dev.kv.Limits;
import dev.kv.Mutation;
import dev.kv.ScanOptions;
import dev.kv.ValueFormat;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationFrontTest {

    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05.123456789Z");

    private static OperationFront front(ValueFormat format, CleanupStrategy strategy) {
        return new OperationFront(KvConfig.builder()
                .format(format)
                .cleanupStrategy(strategy)
                .limits(new Limits(8, 16))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build());
    }

    private final OperationFront json = front(ValueFormat.JSONB, CleanupStrategy.MANUAL);
    private final OperationFront bytes = front(ValueFormat.BYTEA, CleanupStrategy.MANUAL);

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keysAreCheckedAgainstTheLimits() {
        assertThat(json.key("user:1")).isEqualTo("user:1");
        assertThatThrownBy(() -> json.key("user:1234"))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("key is 9 bytes in UTF-8, more than the maximum of 8");
        assertThatThrownBy(() -> json.key(null)).hasMessage("key must not be null");
        assertThat(json.prefixScan("")).isEqualTo(ScanOptions.prefix(""));
        assertThatThrownBy(() -> json.prefixScan("user:1234")).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void aHashedKeyCarriesTheHashOfItsUtf8Bytes() {
        HashedKey key = json.hashedKey("zoë");
        assertThat(key.text()).isEqualTo("zoë");
        assertThat(key.hash()).isEqualTo(KeyHasher.sha256().hash(utf8("zoë")));
        assertThatThrownBy(() -> json.hashedKey("")).hasMessage("key must not be empty");
    }

    @Test
    void aBatchOfHashedKeysHoldsEachKeyOnceInTheCallersOrder() {
        assertThat(json.distinctHashedKeys(List.of("b", "a", "b")))
                .extracting(HashedKey::text)
                .containsExactly("b", "a");
        assertThatThrownBy(() -> json.distinctHashedKeys(null)).hasMessage("keys must not be null");
        assertThatThrownBy(() -> json.distinctHashedKeys(List.of("a", "user:1234")))
                .isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void twoKeysOfOneHashInABatchAreACollision() {
        OperationFront oneHash = new OperationFront(KvConfig.builder()
                .keyHasher(utf8Key -> 42L)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build());
        assertThatThrownBy(() -> oneHash.distinctHashedKeys(List.of("a", "b")))
                .isInstanceOf(KeyCollisionException.class)
                .hasMessageContaining("\"b\"")
                .hasMessageContaining("\"a\"");
    }

    @Test
    void aScanIsCheckedBoundByBoundAndItsCursorOnlyWhenPaged() {
        ScanOptions tooLongCursor = ScanOptions.all().after("user:1234");
        assertThat(json.scan(tooLongCursor, false)).isSameAs(tooLongCursor);
        assertThatThrownBy(() -> json.scan(tooLongCursor, true)).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> json.scan(ScanOptions.range("a", "user:1234"), false))
                .isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> json.scan(null, true)).hasMessage("options must not be null");
    }

    @Test
    void noExpiryMeansTheStoresDefault() {
        Instant now = json.now();
        long micros = OperationFront.micros(now);
        assertThat(json.written(now, (Duration) null)).isEqualTo(WrittenExpiry.NEVER);
        assertThat(json.written(now, Duration.ofSeconds(5))).isEqualTo(new WrittenExpiry(micros + 5_000_000, 0));
        OperationFront idleByDefault = new OperationFront(KvConfig.builder()
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .defaultExpiry(Expiry.idle(Duration.ofSeconds(10)))
                .build());
        assertThat(idleByDefault.written(now, (Expiry) null))
                .isEqualTo(new WrittenExpiry(micros + 10_000_000, 10_000_000));
        assertThat(idleByDefault.written(now, Expiry.never())).isEqualTo(WrittenExpiry.NEVER);
    }

    @Test
    void anIdleEntryIsRefreshedOnlyWithLessThanHalfItsIdlePeriodLeft() {
        long idle = 10_000_000;
        long halfLeft = 2 * idle - idle / 2;
        assertThat(json.refreshedExpiry(2 * idle, idle, idle)).as("all left").isEqualTo(-1);
        assertThat(json.refreshedExpiry(2 * idle, idle, halfLeft))
                .as("half left")
                .isEqualTo(-1);
        assertThat(json.refreshedExpiry(2 * idle, idle, halfLeft + 1)).isEqualTo(halfLeft + 1 + idle);
        assertThat(json.refreshedExpiry(2 * idle, 0, 2 * idle - 1))
                .as("no idle period")
                .isEqualTo(-1);
        OperationFront ignoringExpiry = front(ValueFormat.JSONB, CleanupStrategy.DISABLED);
        assertThat(ignoringExpiry.refreshedExpiry(2 * idle, idle, 2 * idle - 1)).isEqualTo(-1);
    }

    @Test
    void aBatchOfKeysIsCheckedWhole() {
        assertThatThrownBy(() -> json.keys(null))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("keys must not be null");
        assertThatThrownBy(() -> json.keys(Arrays.asList("a", null))).hasMessage("key must not be null");
        assertThat(json.keys(List.of("a", "b"))).containsExactly("a", "b");
    }

    @Test
    void aJsonbStoreRefusesWhatIsNotJsonAndABytesStoreTakesAnyBytes() {
        byte[] notJson = utf8("{a");
        assertThatThrownBy(() -> json.value(notJson))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value is not JSON");
        assertThat(bytes.value(notJson)).isSameAs(notJson);
        assertThatThrownBy(() -> bytes.value(new byte[17]))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("value is 17 bytes, more than the maximum of 16");
        assertThatThrownBy(() -> bytes.value(null)).hasMessage("value must not be null");
    }

    @Test
    void aCopiedValueIsCheckedAndNotTheCallersArray() {
        byte[] value = utf8("[1]");
        byte[] copy = json.copyOfValue(value);
        assertThat(copy).isEqualTo(value).isNotSameAs(value);
        assertThatThrownBy(() -> json.copyOfValue(utf8("[1"))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void nowIsTheClockToTheMicrosecond() {
        assertThat(json.now()).isEqualTo(Instant.parse("2030-01-02T03:04:05.123456Z"));
    }

    @Test
    void expiryIsJudgedAtNowUnlessExpiryIsDisabled() {
        Instant now = json.now();
        assertThat(json.expiryNow(now)).isEqualTo(now);
        assertThat(front(ValueFormat.JSONB, CleanupStrategy.DISABLED).expiryNow(now))
                .isEqualTo(CleanupStrategy.DISABLED.expiryNow(now))
                .isBefore(Instant.EPOCH);
    }

    @Test
    void microsecondsAreTheSameReadingAsInstants() {
        long now = json.nowMicros();
        assertThat(OperationFront.instant(now)).isEqualTo(json.now());
        assertThat(OperationFront.micros(json.now())).isEqualTo(now);
        assertThat(json.expiryNowMicros(now)).isEqualTo(now);
        OperationFront disabled = front(ValueFormat.JSONB, CleanupStrategy.DISABLED);
        assertThat(OperationFront.instant(disabled.expiryNowMicros(now)))
                .isEqualTo(CleanupStrategy.DISABLED.expiryNow(json.now()));
        assertThat(OperationFront.instant(-1)).isEqualTo(Instant.EPOCH.minusNanos(1_000));
    }

    @Test
    void expiryInstantsComeFromTtlsAndRefuseWhatIsNotPositive() {
        Instant now = json.now();
        assertThat(json.expiresAt(now, Duration.ofNanos(1_500))).isEqualTo(now.plusNanos(1_000));
        assertThatThrownBy(() -> json.expiresAt(now, Duration.ZERO))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("ttl must be positive, but was PT0S");
        assertThatThrownBy(() -> json.ttl(null)).hasMessage("ttl must not be null");
    }

    @Test
    void versionsAreCheckedForWhatEachOperationAccepts() {
        assertThat(OperationFront.writeVersion(0)).isZero();
        assertThatThrownBy(() -> OperationFront.writeVersion(-1))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("expectedVersion must not be negative, but was -1");
        assertThat(OperationFront.deleteVersion(1)).isOne();
        assertThatThrownBy(() -> OperationFront.deleteVersion(0))
                .hasMessage("expectedVersion must be positive, but was 0");
    }

    @Test
    void nullArgumentsAreNamed() {
        assertThatThrownBy(() -> OperationFront.notNull(null, "fn"))
                .isInstanceOf(KvValidationException.class)
                .hasMessage("fn must not be null");
    }

    @Test
    void mutationsAreCheckedAsTheirSingleKeyWrites() {
        Instant now = json.now();
        assertThatThrownBy(() -> json.mutations(null, now)).hasMessage("mutations must not be null");
        List<Mutation> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> json.mutations(withNull, now)).hasMessage("mutations must not contain null");
        assertThatThrownBy(() -> json.mutations(List.of(Mutation.put("a", utf8("{"))), now))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> json.mutations(List.of(Mutation.put("a", utf8("1"), Duration.ofSeconds(-1))), now))
                .hasMessage("ttl must be positive, but was PT-1S");
        assertThatThrownBy(() -> json.mutations(List.of(Mutation.delete("")), now))
                .hasMessage("key must not be empty");
        List<Mutation> valid = List.of(Mutation.put("a", utf8("1")), Mutation.delete("b"));
        assertThat(json.mutations(valid, now)).isSameAs(valid);
    }

    @Test
    void countersCountEachReadOnceAndReportWhatTheStoreHolds() {
        OperationCounters counters = new OperationCounters();
        counters.read(true);
        counters.read(false);
        counters.read(true);
        counters.set();
        counters.sets(2);
        counters.deleted();
        counters.deleted(3);
        counters.expired();
        counters.expired(4);
        counters.evicted();
        assertThat(counters.stats(7, 70)).isEqualTo(new KvStats(3, 2, 1, 3, 4, 5, 1, 7, 70));
    }
}
