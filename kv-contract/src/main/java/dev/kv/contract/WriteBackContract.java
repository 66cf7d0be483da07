package dev.kv.contract;

import static dev.kv.contract.ContractValues.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidValueException;
import dev.kv.KvConfig;
import dev.kv.KvStore;
import dev.kv.Limits;
import dev.kv.ValueFormat;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The contract's cases for "what get returns, set accepts": a value at the size limit, read back, is written
 * again by every write. A JSONB store returns PostgreSQL's text form, a space after every comma and colon,
 * so its limit counts a document's normalised length: without whitespace between tokens, numbers written
 * without exponent.
 */
public abstract class WriteBackContract extends ContractCase {

    protected WriteBackContract(KvStoreContract fixture) {
        super(fixture);
    }

    /** A compact JSON array of small numbers of exactly {@code bytes} bytes (at least 4). */
    static byte[] compactArray(int bytes) {
        StringBuilder json = new StringBuilder(bytes).append(bytes % 2 == 0 ? "[11" : "[1");
        while (json.length() < bytes - 1) {
            json.append(",1");
        }
        return utf8(json.append(']').toString());
    }

    @Test
    void aValueOfTheMaximumSizeReadBackIsWrittenAgainBySetUpdateAndCompareAndSwap() {
        byte[] document = compactArray(store.config().limits().maxValueBytes());
        store.set("doc", document);
        byte[] read = store.get("doc").orElseThrow();
        assertThat(JsonAssert.tree(read)).isEqualTo(JsonAssert.tree(document));

        store.set("doc", read);
        assertThat(store.update("doc", current -> current)).isPresent();
        assertThat(store.compareAndSwap("doc", read, read).isSwapped()).isTrue();
        assertThat(store.compareAndSwap("doc", store.get("doc").orElseThrow(), read, Duration.ofMinutes(1))
                        .isSwapped())
                .isTrue();
        assertThat(store.getAndSet("doc", read)).isPresent();
        assertThat(store.setIfVersion(
                        "doc", read, store.getEntry("doc").orElseThrow().version()))
                .isEqualTo(7);
        assertThat(JsonAssert.tree(store.get("doc").orElseThrow())).isEqualTo(JsonAssert.tree(document));
    }

    @Test
    void aJsonbStoreCountsTheDocumentWithoutWhitespaceAndABytesStoreEveryByte() {
        KvStore small = openTracked(KvConfig.builder().clock(clock).limits(new Limits(64, 16)));
        byte[] spaced = utf8("[ 1, 2, 3, 4, 5, 6, 77 ]");
        byte[] tooLong = utf8("[1, 2, 3, 4, 5, 6, 777]");
        if (small.config().format() == ValueFormat.JSONB) {
            small.set("doc", spaced);
            assertThat(JsonAssert.tree(small.get("doc").orElseThrow())).isEqualTo(JsonAssert.tree(spaced));
            assertThatThrownBy(() -> small.set("other", tooLong))
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessage("value is 17 bytes, more than the maximum of 16");
        } else {
            assertThatThrownBy(() -> small.set("doc", spaced))
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessage("value is 24 bytes, more than the maximum of 16");
        }
        assertThat(small.exists("other")).isFalse();
    }

    @Test
    void aJsonbStoreCountsNumbersAsWrittenWithoutExponent() {
        KvStore small = openTracked(KvConfig.builder().clock(clock).limits(new Limits(64, 8)));
        small.set("small", utf8("[1e3]"));
        if (small.config().format() == ValueFormat.JSONB) {
            assertThat(JsonAssert.tree(small.get("small").orElseThrow()).get(0).decimalValue())
                    .isEqualByComparingTo("1000");
            assertThatThrownBy(() -> small.set("large", utf8("[1e10]")))
                    .isInstanceOf(InvalidValueException.class)
                    .hasMessage("value is 13 bytes, more than the maximum of 8");
            assertThat(small.exists("large")).isFalse();
        } else {
            small.set("large", utf8("[1e10]"));
            assertThat(small.get("large").orElseThrow()).isEqualTo(utf8("[1e10]"));
        }
    }
}
