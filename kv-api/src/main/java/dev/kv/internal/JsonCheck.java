package dev.kv.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.kv.InvalidValueException;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Checks that bytes are one JSON document that PostgreSQL's {@code jsonb} accepts, so that every
 * store refuses a bad value of a JSONB store alike, before anything is written.
 *
 * <p>Beyond RFC 8259, {@code jsonb} refuses the escape {@code \u0000} and unpaired surrogate
 * escapes; both are refused here too.
 *
 * <p>It also measures a document's normalised length, what the value limit of a JSONB store counts: the
 * bytes without whitespace between tokens, each number as PostgreSQL writes it (without exponent). What
 * PostgreSQL returns for a stored document is never longer in this measure than what was stored — it adds
 * only whitespace, writes strings with the same or shorter escapes, drops duplicate keys and writes numbers
 * the same way — so a document read from a store is accepted by its limit again.
 */
public final class JsonCheck {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(100_000)
                    .maxNestingDepth(1_000)
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
        try (JsonParser parser = FACTORY.createParser(utf8)) {
            if (parser.nextToken() == null) {
                throw new InvalidValueException("value is not JSON: it is empty");
            }
            long numberGrowth = checkValue(parser);
            if (parser.nextToken() != null) {
                throw new InvalidValueException("value is not JSON: more than one value at "
                        + parser.currentTokenLocation().offsetDescription());
            }
            return numberGrowth;
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("value is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidValueException("value is not JSON: " + e.getMessage(), e);
        }
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
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                numberGrowth += plainLength(parser.getText()) - parser.getText().length();
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
            throw new InvalidValueException("value is not valid for jsonb: the number " + number + " is out of range");
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
                throw new InvalidValueException("value is not valid for jsonb: \\u0000 in a string at "
                        + parser.currentTokenLocation().offsetDescription());
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidValueException("value is not valid for jsonb: unpaired surrogate in a string at "
                        + parser.currentTokenLocation().offsetDescription());
            }
        }
    }
}
