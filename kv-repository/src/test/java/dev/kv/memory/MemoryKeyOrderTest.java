package dev.kv.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.ScanOptions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The memory store's key order and prefix bounds agree with the code point order of every store. */
class MemoryKeyOrderTest {

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
    void codePointOrderAgreesWithTheContractsOrder() {
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 100_000; i++) {
            String a = randomKey(random);
            String b = randomKey(random);
            assertThat(Integer.signum(CodePointOrder.INSTANCE.compare(a, b)))
                    .as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(ScanOptions.compareCodePoints(a, b)));
        }
    }

    @Test
    void theUpperBoundOfAPrefixIsAfterEveryKeyWithItAndBeforeEveryGreaterKeyWithout() {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 20_000; i++) {
            String prefix = randomKey(random);
            String key = randomKey(random);
            String upper = KeyScan.upperBound(prefix);
            boolean afterPrefix = CodePointOrder.INSTANCE.compare(key, prefix) >= 0;
            boolean belowUpper = upper == null || CodePointOrder.INSTANCE.compare(key, upper) < 0;
            assertThat(afterPrefix && belowUpper)
                    .as("%s in [%s, %s)", key, prefix, upper)
                    .isEqualTo(key.startsWith(prefix));
        }
    }

    @Test
    void aPrefixOfOnlyTheLastCodePointHasNoUpperBound() {
        assertThat(KeyScan.upperBound("")).isNull();
        assertThat(KeyScan.upperBound("\udbff\udfff")).isNull();
        assertThat(KeyScan.upperBound("a\udbff\udfff")).isEqualTo("b");
        assertThat(KeyScan.upperBound("a\ud7ff")).isEqualTo("a\ue000");
    }
}
