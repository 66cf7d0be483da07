package dev.kv.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.kv.InvalidValueException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks that bytes are one JSON document that PostgreSQL's {@code jsonb} accepts, so that every
 * store refuses a bad value of a JSONB store alike, before anything is written.
 *
 * <p>Beyond RFC 8259, {@code jsonb} refuses a byte order mark, the escape {@code \u0000}, unpaired
 * surrogate escapes, and numbers outside its {@code numeric} type: more than 131,072 digits before
 * the decimal point, more than 16,383 after it, or an exponent of 2<sup>30</sup> or more either way.
 * All are refused here too. Nesting is limited to {@value #MAX_DEPTH} levels, below where
 * PostgreSQL's parser runs out of stack at its default {@code max_stack_depth}.
 *
 * <p>No message quotes the value: it says what is wrong and where, because values may be secret.
 *
 * <p>It also measures a document's normalised length, what the value limit of a JSONB store counts: the
 * bytes without whitespace between tokens, each number as PostgreSQL writes it (without exponent). What
 * PostgreSQL returns for a stored document is never longer in this measure than what was stored — it adds
 * only whitespace, writes strings with the same or shorter escapes, drops duplicate keys and writes numbers
 * the same way — so a document read from a store is accepted by its limit again.
 */
public final class JsonCheck {

    /** The deepest nesting of arrays and objects accepted. */
    public static final int MAX_DEPTH = 1_000;

    private static final int MAX_WEIGHT_DIGITS = 131_072;
    private static final int MAX_SCALE = 16_383;
    private static final long MAX_EXPONENT = Integer.MAX_VALUE / 2;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNestingDepth(MAX_DEPTH)
                    .build())
            .build();

    private JsonCheck() {}

    /**
     * Returns {@code utf8}.
     *
     * @throws InvalidValueException if the bytes are not valid UTF-8 or not exactly one JSON value
     *     that {@code jsonb} accepts
     */
    public static byte[] check(byte[] utf8) {
        walk(utf8);
        return utf8;
    }

    /**
     * The document's normalised length (see above).
     *
     * @throws InvalidValueException as {@link #check} does
     */
    public static long normalisedLength(byte[] utf8) {
        return walk(utf8) + compactLength(utf8);
    }

    /** Checks the document; how many bytes writing its numbers without exponent adds (or removes). */
    private static long walk(byte[] utf8) {
        String text = decode(utf8);
        if (text.startsWith("\uFEFF")) {
            throw new InvalidValueException("value is not JSON: it starts with a byte order mark", null);
        }
        // Jackson's messages quote the offending text, so none of them, nor the exception, is passed on.
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new InvalidValueException("value is not JSON: it is empty", null);
            }
            long numberGrowth = checkValue(parser);
            if (parser.nextToken() != null) {
                throw new InvalidValueException("value is not JSON: more than one value at " + where(parser), null);
            }
            return numberGrowth;
        } catch (JsonEOFException e) {
            throw new InvalidValueException(
                    "value is not JSON: it ends inside a value at " + where(e.getLocation()), null);
        } catch (StreamConstraintsException e) {
            throw new InvalidValueException("value is not JSON: it nests deeper than " + MAX_DEPTH + " levels", null);
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("value is not JSON: syntax error at " + where(e.getLocation()), null);
        } catch (IOException e) {
            throw new InvalidValueException("value is not JSON: it cannot be read", e);
        }
    }

    private static String decode(byte[] utf8) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE, (long) utf8.length));
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw new InvalidValueException("value is not JSON: it is not valid UTF-8 at byte " + in.position(), null);
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static long checkValue(JsonParser parser) throws IOException {
        int depth = 0;
        long numberGrowth = 0;
        do {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                depth--;
            } else if (token == JsonToken.FIELD_NAME || token == JsonToken.VALUE_STRING) {
                checkString(parser.getText(), parser);
            } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                checkNumber(parser.getText(), parser);
                if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    numberGrowth +=
                            plainLength(parser.getText()) - parser.getText().length();
                }
            }
        } while (depth > 0 && parser.nextToken() != null);
        return numberGrowth;
    }

    /**
     * The length of a JSON number as PostgreSQL's numeric writes it: no exponent, as many fraction digits as
     * the number's scale, no sign on zero. Worked out from precision and scale, so that {@code 1e100000000}
     * allocates nothing.
     */
    private static long plainLength(String number) {
        if (number.indexOf('e') < 0 && number.indexOf('E') < 0) {
            return number.length();
        }
        BigDecimal value;
        try {
            value = new BigDecimal(number);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidValueException("value is not valid for jsonb: a number is out of range", null);
        }
        long scale = Math.max(0, value.scale());
        long integerDigits = value.signum() == 0 ? 1 : Math.max(1, (long) value.precision() - value.scale());
        return (value.signum() < 0 ? 1 : 0) + integerDigits + (scale > 0 ? 1 + scale : 0);
    }

    /** The bytes of a valid document without the whitespace between its tokens. */
    private static long compactLength(byte[] utf8) {
        long length = 0;
        boolean inString = false;
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (inString) {
                if (b == '\\') {
                    length++;
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
                continue;
            } else if (b == '"') {
                inString = true;
            }
            length++;
        }
        return length;
    }

    private static void checkString(String text, JsonParser parser) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw new InvalidValueException(
                        "value is not valid for jsonb: \\u0000 in a string at " + where(parser), null);
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidValueException(
                        "value is not valid for jsonb: unpaired surrogate in a string at " + where(parser), null);
            }
        }
    }

    /**
     * Refuses a number PostgreSQL's {@code numeric} cannot hold: as {@code numeric_in} does, the scale
     * is the digits written after the point less the exponent, and the weight is where the first
     * non-zero digit stands; a zero has no weight.
     */
    private static void checkNumber(String number, JsonParser parser) {
        int i = number.startsWith("-") ? 1 : 0;
        int point = number.indexOf('.');
        int e = Math.max(number.indexOf('e'), number.indexOf('E'));
        int digitsEnd = e < 0 ? number.length() : e;
        int integerEnd = point < 0 ? digitsEnd : point;
        long exponent = e < 0 ? 0 : exponent(number.substring(e + 1));
        if (exponent >= MAX_EXPONENT || exponent <= -MAX_EXPONENT) {
            throw overflow(parser);
        }
        long fractionDigits = point < 0 ? 0 : digitsEnd - point - 1;
        if (fractionDigits - exponent > MAX_SCALE) {
            throw overflow(parser);
        }
        long firstDigit = Long.MIN_VALUE;
        for (int d = i; d < digitsEnd; d++) {
            char c = number.charAt(d);
            if (c != '0' && c != '.') {
                firstDigit = d < integerEnd ? integerEnd - d - 1 : -(d - point);
                break;
            }
        }
        if (firstDigit != Long.MIN_VALUE && firstDigit + exponent >= MAX_WEIGHT_DIGITS) {
            throw overflow(parser);
        }
    }

    /** The exponent's value, saturated far beyond any limit. */
    private static long exponent(String text) {
        String digits = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        long value = 0;
        for (int i = 0; i < digits.length() && value < Long.MAX_VALUE / 20; i++) {
            value = value * 10 + (digits.charAt(i) - '0');
        }
        return text.startsWith("-") ? -value : value;
    }

    private static InvalidValueException overflow(JsonParser parser) {
        return new InvalidValueException(
                "value is not valid for jsonb: a number out of the range of numeric at " + where(parser), null);
    }

    private static String where(JsonParser parser) {
        return where(parser.currentTokenLocation());
    }

    private static String where(JsonLocation location) {
        return location.offsetDescription();
    }
}
