package dev.kv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.InvalidValueException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCheckTest {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "[]",
                "0",
                "-1.5e10",
                "true",
                "null",
                "\"text\"",
                " {\"a\": [1, {\"b\": null}]} ",
                "{\"a\": 1, \"a\": 2}",
                "\"\\ud83d\\ude00\"",
                "\"日本語\"",
                "123456789012345678901234567890"
            })
    void acceptsOneJsonValueAndReturnsTheSameBytes(String json) {
        byte[] value = utf8(json);
        assertThat(JsonCheck.check(value)).isSameAs(value);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "   ",
                "{",
                "{\"a\" 1}",
                "[1,]",
                "'single'",
                "NaN",
                "01",
                "{} {}",
                "1 2",
                "undefined",
                "{a: 1}"
            })
    void refusesWhatIsNotExactlyOneJsonValue(String json) {
        assertThatThrownBy(() -> JsonCheck.check(utf8(json)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value is not JSON");
    }

    @Test
    void namesWhereASecondValueStarts() {
        assertThatThrownBy(() -> JsonCheck.check(utf8("1 2")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("value is not JSON: more than one value at line: 1, column: 3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a\\u0000b\"", "{\"k\\u0000\": 1}", "[\"\\ud800\"]", "\"\\udc00x\""})
    void refusesWhatJsonbRefuses(String json) {
        assertThatThrownBy(() -> JsonCheck.check(utf8(json)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value is not valid for jsonb");
    }

    @Test
    void refusesInvalidUtf8() {
        assertThatThrownBy(() -> JsonCheck.check(new byte[] {'"', (byte) 0xC3, '"'}))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value is not JSON");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1e131071",
                "-1.5e131071",
                "1e-16383",
                "0e1073741822",
                "0e-16383",
                "-0",
                "1.0e+0",
                "1E+131071",
                "0.1e131072",
                "123.456e-16380"
            })
    void acceptsTheNumbersPostgresqlNumericHolds(String json) {
        assertThat(JsonCheck.check(utf8(json))).isNotNull();
        assertThat(JsonCheck.check(utf8("[" + json + "]"))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1e1000000",
                "1e131072",
                "-1e131072",
                "123456789e131064",
                "1e-16384",
                "1e-1000000",
                "0e-1000000",
                "0.000e-16381",
                "0e1073741823",
                "0e99999999999999999999",
                "1e-99999999999999999999"
            })
    void refusesTheNumbersPostgresqlNumericCannotHold(String json) {
        assertThatThrownBy(() -> JsonCheck.check(utf8("{\"n\": " + json + "}")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("value is not valid for jsonb: a number out of the range of numeric at line: 1, column: 7");
    }

    @Test
    void acceptsLongDigitStringsNumericHolds() {
        assertThat(JsonCheck.check(utf8("1" + "0".repeat(131_071)))).isNotNull();
        assertThat(JsonCheck.check(utf8("0." + "0".repeat(16_382) + "1"))).isNotNull();
        assertThatThrownBy(() -> JsonCheck.check(utf8("1" + "0".repeat(131_072))))
                .isInstanceOf(InvalidValueException.class);
        assertThatThrownBy(() -> JsonCheck.check(utf8("0." + "0".repeat(16_383) + "1")))
                .isInstanceOf(InvalidValueException.class);
    }

    @Test
    void refusesAByteOrderMarkAndEncodedSurrogates() {
        assertThatThrownBy(() -> JsonCheck.check(utf8("\uFEFF1")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("value is not JSON: it starts with a byte order mark");
        assertThatThrownBy(() -> JsonCheck.check(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("value is not JSON: it is not valid UTF-8 at byte 1");
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        assertThat(JsonCheck.check(utf8("[".repeat(1_000) + "]".repeat(1_000)))).isNotNull();
        assertThatThrownBy(() -> JsonCheck.check(utf8("[".repeat(1_001) + "]".repeat(1_001))))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("value is not JSON: it nests deeper than 1000 levels");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Pl4ntedToken",
                "{\"a\": Pl4ntedToken}",
                "[1, \"x\" Pl4ntedToken]",
                "\"Pl4ntedToken",
                "{\"Pl4ntedToken\": tru}",
                "[Pl4ntedToken"
            })
    void messagesSayWhereAndWhatButNeverQuoteTheValue(String json) {
        assertThatThrownBy(() -> JsonCheck.check(utf8(json)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("value is not JSON: ")
                .hasMessageNotContaining("Pl4nted")
                .hasNoCause();
    }
}
