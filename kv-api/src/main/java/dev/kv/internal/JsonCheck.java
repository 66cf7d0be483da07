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
        String text = decode(utf8);
        if (text.startsWith("\uFEFF")) {
            throw new InvalidValueException("value is not JSON: it starts with a byte order mark");
        }
        // Jackson's messages quote the offending text, so none of them, nor the exception, is passed on.
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new InvalidValueException("value is not JSON: it is empty");
            }
            checkValue(parser);
            if (parser.nextToken() != null) {
                throw new InvalidValueException("value is not JSON: more than one value at " + where(parser));
            }
        } catch (JsonEOFException e) {
            throw new InvalidValueException("value is not JSON: it ends inside a value at " + where(e.getLocation()));
        } catch (StreamConstraintsException e) {
            throw new InvalidValueException("value is not JSON: it nests deeper than " + MAX_DEPTH + " levels");
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("value is not JSON: syntax error at " + where(e.getLocation()));
        } catch (IOException e) {
            throw new InvalidValueException("value is not JSON: it cannot be read", e);
        }
        return utf8;
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
            throw new InvalidValueException("value is not JSON: it is not valid UTF-8 at byte " + in.position());
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static void checkValue(JsonParser parser) throws IOException {
        int depth = 0;
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
            }
        } while (depth > 0 && parser.nextToken() != null);
    }

    private static void checkString(String text, JsonParser parser) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw new InvalidValueException(
                        "value is not valid for jsonb: \\u0000 in a string at " + where(parser));
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidValueException(
                        "value is not valid for jsonb: unpaired surrogate in a string at " + where(parser));
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
                "value is not valid for jsonb: a number out of the range of numeric at " + where(parser));
    }

    private static String where(JsonParser parser) {
        return where(parser.currentTokenLocation());
    }

    private static String where(JsonLocation location) {
        return location.offsetDescription();
    }
}
