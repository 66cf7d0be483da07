package dev.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LimitsTest {

    private final Limits limits = new Limits(8, 4);

    @Test
    void keyLengthIsCountedInUtf8Bytes() {
        limits.checkKey("éééé");
        assertThatThrownBy(() -> limits.checkKey("ééééx"))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("key is 9 bytes in UTF-8, more than the maximum of 8");
    }

    @Test
    void aSurrogatePairIsOneCharacterNotAnUnpairedSurrogate() {
        limits.checkKey("😀😀");
        assertThatThrownBy(() -> limits.checkKey("😀😀a"))
                .hasMessage("key is 9 bytes in UTF-8, more than the maximum of 8");
        assertThatThrownBy(() -> limits.checkKey("\ude00"))
                .hasMessage("key must not contain an unpaired surrogate (at index 0)");
    }

    @Test
    void threeByteCharactersAreCountedAsThree() {
        new Limits(6, 1).checkKey("€€");
        assertThatThrownBy(() -> new Limits(6, 1).checkKey("€€a"))
                .hasMessage("key is 7 bytes in UTF-8, more than the maximum of 6");
    }

    @Test
    void anEmptyPrefixIsAllowedButNotAnEmptyKey() {
        limits.checkPrefix("");
        assertThatThrownBy(() -> limits.checkKey("")).hasMessage("key must not be empty");
        assertThatThrownBy(() -> limits.checkPrefix("a\u0000"))
                .hasMessage("prefix must not contain the NUL character (at index 1)");
    }

    @Test
    void valueSizeIsChecked() {
        assertThat(limits.checkValue(new byte[4])).hasSize(4);
        assertThatThrownBy(() -> limits.checkValue(new byte[5]))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("value is 5 bytes, more than the maximum of 4");
    }

    @Test
    void limitsThemselvesAreBounded() {
        assertThatThrownBy(() -> new Limits(0, 1)).hasMessage("maxKeyBytes must be between 1 and 2048, but was 0");
        assertThatThrownBy(() -> new Limits(2049, 1))
                .hasMessage("maxKeyBytes must be between 1 and 2048, but was 2049");
        assertThatThrownBy(() -> new Limits(1, 0))
                .hasMessage("maxValueBytes must be between 1 and 267386880, but was 0");
    }
}
