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
}
