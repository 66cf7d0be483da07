package dev.kv.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTextTest {

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
    void acceptsOneJsonValue(String json) {
        assertThat(JsonText.decode(utf8(json))).isEqualTo(json);
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
        assertThatThrownBy(() -> JsonText.decode(utf8(json)))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageStartingWith("value is not JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a\\u0000b\"", "{\"k\\u0000\": 1}", "[\"\\ud800\"]", "\"\\udc00x\""})
    void refusesWhatJsonbRefuses(String json) {
        assertThatThrownBy(() -> JsonText.decode(utf8(json)))
                .isInstanceOf(InvalidJsonException.class)
                .hasMessageStartingWith("value is not valid for jsonb");
    }

    @org.junit.jupiter.api.Test
    void refusesInvalidUtf8() {
        assertThatThrownBy(() -> JsonText.decode(new byte[] {'"', (byte) 0xC3, '"'}))
                .isInstanceOf(InvalidJsonException.class);
    }
}
