package dev.kv.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kv.InvalidValueException;
import dev.kv.ValueFormat;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JSONB store accepts exactly the documents PostgreSQL's {@code jsonb} accepts, on every backend:
 * the edge values below were each tried with {@code select '…'::jsonb} on PostgreSQL, and a value it
 * refuses is an {@link InvalidValueException} that writes nothing, also where no PostgreSQL is
 * involved.
 */
public abstract class JsonValuesContract extends ContractCase {

    private static final Map<String, byte[]> REFUSED = Map.ofEntries(
            Map.entry("a number beyond numeric's 131072 integer digits", utf8("1e1000000")),
            Map.entry("the first number beyond numeric's integer digits", utf8("1e131072")),
            Map.entry("a number beyond numeric's 16383 decimal places", utf8("1e-16384")),
            Map.entry("a zero with too many decimal places", utf8("0e-1000000")),
            Map.entry("a nested number out of range", utf8("{\"a\": [1, -1e131072]}")),
            Map.entry("an exponent beyond 2^30", utf8("0e1073741823")),
            Map.entry("an escaped NUL", utf8("\"a\\u0000b\"")),
            Map.entry("an escaped NUL in a field name", utf8("{\"\\u0000\": 1}")),
            Map.entry("a lone high surrogate", utf8("\"\\ud800\"")),
            Map.entry("a lone low surrogate", utf8("\"\\udc00x\"")),
            Map.entry("a byte order mark", utf8("\uFEFF1")),
            Map.entry("a surrogate encoded in UTF-8", new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}),
            Map.entry("nesting deeper than 1000", utf8("[".repeat(1_001) + "]".repeat(1_001))),
            Map.entry("a leading plus", utf8("+1")),
            Map.entry("a form feed as white space", utf8("\f1")));

    protected JsonValuesContract(KvStoreContract fixture) {
        super(fixture);
    }

    @BeforeEach
    void onlyOnJsonbStores() {
        assumeTrue(store.config().format() == ValueFormat.JSONB, "the JSON rules are those of a JSONB store");
    }

    @Test
    void valuesJsonbRefusesAreInvalidValuesAndWriteNothing() {
        REFUSED.forEach((what, value) -> {
            assertThatThrownBy(() -> store.set("k", value)).as(what).isInstanceOf(InvalidValueException.class);
            assertThatThrownBy(() -> store.setIfAbsent("k", value)).as(what).isInstanceOf(InvalidValueException.class);
            assertThatThrownBy(() -> store.setMany(Map.of("k", value, "other", utf8("1"))))
                    .as(what)
                    .isInstanceOf(InvalidValueException.class);
        });
        assertThat(store.keys("")).isEmpty();
    }

    @Test
    void numbersAtNumericsEdgesAreKeptByValue() {
        for (String number : List.of("1e131071", "-1.5e131071", "1e-16383", "0e1073741822", "123.456e-16380", "-0")) {
            store.set("k", utf8(number));
            String stored = new String(store.get("k").orElseThrow(), StandardCharsets.UTF_8);
            assertThat(new BigDecimal(stored)).as(number).isEqualByComparingTo(new BigDecimal(number));
        }
    }

    @Test
    void duplicateKeysAreAcceptedAndTheLastOneCounts() {
        store.set("k", utf8("{\"a\": 1, \"a\": 2}"));
        assertThat(JsonAssert.tree(store.get("k").orElseThrow()).get("a").asInt())
                .isEqualTo(2);
    }

    @Test
    void nestingUpToTheLimitAndPairedSurrogatesAreAccepted() {
        store.set("deep", utf8("[".repeat(1_000) + "]".repeat(1_000)));
        store.set("emoji", utf8("\"\\ud83d\\ude00\""));
        assertThat(store.keys("")).containsExactly("deep", "emoji");
        assertThat(JsonAssert.tree(store.get("emoji").orElseThrow()).asText()).isEqualTo("😀");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
