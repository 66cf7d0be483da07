package dev.kv.jpa;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SqlExecutorTest {

    @Test
    void textOfAnInstantIsIsoInUtcWithNineFractionDigits() {
        assertThat(SqlExecutor.text(Instant.parse("2026-01-02T03:04:05.000006Z")))
                .isEqualTo("2026-01-02T03:04:05.000006000Z");
        assertThat(SqlExecutor.text(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000000000Z");
        assertThat(SqlExecutor.text(Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("0001-01-01T00:00:00.000000000Z");
        assertThat(SqlExecutor.text(Instant.parse("9999-12-31T23:59:59.999999999Z")))
                .isEqualTo("9999-12-31T23:59:59.999999999Z");
    }

    @Test
    void textOfAnyInstantOfTheYearsOneTo9999ParsesBackToIt() {
        long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000_000));
            assertThat(Instant.parse(SqlExecutor.text(instant))).isEqualTo(instant);
        }
    }

    @Test
    void textOfAnInstantOutsideTheYearsOneTo9999IsInstantToString() {
        Instant late = Instant.parse("+10000-01-01T00:00:00Z");
        Instant early = Instant.parse("0000-12-31T23:59:59.5Z");
        assertThat(SqlExecutor.text(late)).isEqualTo(late.toString());
        assertThat(SqlExecutor.text(early)).isEqualTo(early.toString());
    }
}
