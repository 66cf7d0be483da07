package dev.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast key order agrees with plain code point comparison, and prefix ends bound prefixes exactly. */
class KeyOrderPropertyTest {

    /** The definition: compare code point by code point. */
    private static int reference(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static final int[] INTERESTING = {
        'a', 'b', 0x7f, 0xe9, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff
    };

    private static String randomKey(SplittableRandom random) {
        StringBuilder key = new StringBuilder();
        int length = 1 + random.nextInt(4);
        for (int i = 0; i < length; i++) {
            key.appendCodePoint(INTERESTING[random.nextInt(INTERESTING.length)]);
        }
        return key.toString();
    }

    @Test
    void theFastOrderAgreesWithCodePointComparison() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            String a = randomKey(random);
            String b = randomKey(random);
            assertThat(Integer.signum(KeyOrder.compare(a, b)))
                    .as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(reference(a, b)));
        }
    }

    @Test
    void theUpperBoundOfAPrefixIsAfterEveryKeyWithItAndBeforeEveryGreaterKeyWithout() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 20_000; i++) {
            String prefix = randomKey(random);
            String key = randomKey(random);
            String upper = KeyOrder.prefixEnd(prefix);
            boolean afterPrefix = KeyOrder.compare(key, prefix) >= 0;
            boolean belowUpper = upper == null || KeyOrder.compare(key, upper) < 0;
            assertThat(afterPrefix && belowUpper)
                    .as("%s in [%s, %s)", key, prefix, upper)
                    .isEqualTo(key.startsWith(prefix));
        }
    }

    @Test
    void aPrefixOfOnlyTheLastCodePointHasNoUpperBound() {
        assertThat(KeyOrder.prefixEnd("")).isNull();
        assertThat(KeyOrder.prefixEnd("\udbff\udfff")).isNull();
        assertThat(KeyOrder.prefixEnd("a\udbff\udfff")).isEqualTo("b");
        assertThat(KeyOrder.prefixEnd("a\ud7ff")).isEqualTo("a\ue000");
    }
}
