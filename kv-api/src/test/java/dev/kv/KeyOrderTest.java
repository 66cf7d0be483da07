package dev.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyOrderTest {

    @Test
    void theLastCharacterIsIncremented() {
        assertThat(KeyOrder.prefixEnd("user:")).isEqualTo("user;");
        assertThat(KeyOrder.prefixEnd("a%")).isEqualTo("a&");
    }

    @Test
    void theSurrogateRangeIsSkipped() {
        assertThat(KeyOrder.prefixEnd("a\ud7ff")).isEqualTo("a\ue000");
    }

    @Test
    void aSupplementaryCharacterIsIncrementedAsOneCodePoint() {
        assertThat(KeyOrder.prefixEnd("x😀")).isEqualTo("x😁");
        assertThat(KeyOrder.prefixEnd("x\uffff")).isEqualTo("x\ud800\udc00");
    }

    @Test
    void trailingMaximumCodePointsCarryOver() {
        assertThat(KeyOrder.prefixEnd("a\udbff\udfff")).isEqualTo("b");
        assertThat(KeyOrder.prefixEnd("\udbff\udfff\udbff\udfff")).isNull();
        assertThat(KeyOrder.prefixEnd("")).isNull();
    }

    @Test
    void keysAreOrderedByCodePointNotByUtf16Unit() {
        assertThat(KeyOrder.compare("\ud83d\ude00", "\uffff")).isPositive();
        assertThat("\ud83d\ude00".compareTo("\uffff")).isNegative();
        assertThat(KeyOrder.compare("a", "ab")).isNegative();
        assertThat(KeyOrder.compare("b", "ab")).isPositive();
        assertThat(KeyOrder.compare("\ue000", "\ud7ff")).isPositive();
    }
}
