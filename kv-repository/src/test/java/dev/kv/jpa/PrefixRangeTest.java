package dev.kv.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrefixRangeTest {

    @Test
    void theLastCharacterIsIncremented() {
        assertThat(PrefixRange.upperBound("user:")).isEqualTo("user;");
        assertThat(PrefixRange.upperBound("a%")).isEqualTo("a&");
    }

    @Test
    void theSurrogateRangeIsSkipped() {
        assertThat(PrefixRange.upperBound("a\ud7ff")).isEqualTo("a\ue000");
    }

    @Test
    void aSupplementaryCharacterIsIncrementedAsOneCodePoint() {
        assertThat(PrefixRange.upperBound("x😀")).isEqualTo("x😁");
        assertThat(PrefixRange.upperBound("x\uffff")).isEqualTo("x\ud800\udc00");
    }

    @Test
    void trailingMaximumCodePointsCarryOver() {
        assertThat(PrefixRange.upperBound("a\udbff\udfff")).isEqualTo("b");
        assertThat(PrefixRange.upperBound("\udbff\udfff\udbff\udfff")).isNull();
        assertThat(PrefixRange.upperBound("")).isNull();
    }
}
