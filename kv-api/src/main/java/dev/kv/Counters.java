package dev.kv;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The integer of a counter entry: the decimal digits of a {@code long} — a JSON number in a JSONB
 * store, ASCII text in a BYTEA store, the same bytes in both.
 */
final class Counters {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Counters() {}

    /**
     * The counter in {@code value}: an optional minus sign and decimal digits, with surrounding JSON
     * whitespace allowed.
     *
     * @throws TypeMismatchException if the value is anything else or does not fit a long
     */
    static long parse(String key, byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8).strip();
        if (!INTEGER.matcher(text).matches()) {
            throw notACounter(key);
        }
        BigInteger number = new BigInteger(text);
        if (number.compareTo(MIN) < 0 || number.compareTo(MAX) > 0) {
            throw notACounter(key);
        }
        return number.longValueExact();
    }

    static TypeMismatchException notACounter(String key) {
        return new TypeMismatchException("value of \"" + key + "\" is not an integer that fits a long", null);
    }

    static long add(String key, long current, long delta) {
        try {
            return Math.addExact(current, delta);
        } catch (ArithmeticException e) {
            throw new CounterOverflowException(
                    "incrementing \"" + key + "\" (" + current + ") by " + delta + " overflows", e);
        }
    }

    static byte[] format(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
