package dev.kv.contract;

import static dev.kv.contract.ContractValues.text;
import static dev.kv.contract.ContractValues.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidKeyException;
import dev.kv.InvalidValueException;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.KvValidationException;
import dev.kv.Limits;
import dev.kv.ScanOptions;
import dev.kv.Ttl;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The contract's cases for validation. */
public abstract class ValidationContract extends ContractCase {

    protected ValidationContract(KvStoreContract fixture) {
        super(fixture);
    }

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
        assertThatThrownBy(() -> small.setIfAbsent("k", v("x".repeat(15)))).isInstanceOf(InvalidValueException.class);
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

    @Test
    void aTtlShorterThanAMicrosecondIsRefusedAndWritesNothing() {
        Duration nanos = Duration.ofNanos(999);
        assertThatThrownBy(() -> store.set("k", v("a"), nanos)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> store.setIfAbsent("k", v("a"), nanos)).isInstanceOf(KvValidationException.class);
        assertThat(store.exists("k")).isFalse();
        store.set("k", v("a"));
        assertThatThrownBy(() -> store.expire("k", Duration.ofNanos(1))).isInstanceOf(KvValidationException.class);
        assertThat(store.ttl("k")).isEqualTo(Ttl.persistent());
        store.set("short", v("b"), Duration.ofNanos(1_000));
        assertThat(store.ttl("short").remaining()).contains(Duration.ofNanos(1_000));
    }

    @Test
    void badScanOptionsAreValidationErrors() {
        assertThatThrownBy(() -> ScanOptions.prefix(null)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> ScanOptions.range("b", "a")).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> ScanOptions.all().limit(0)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> ScanOptions.all().offset(-1)).isInstanceOf(KvValidationException.class);
        assertThatThrownBy(() -> ScanOptions.all().after(null)).isInstanceOf(KvValidationException.class);
    }
}
