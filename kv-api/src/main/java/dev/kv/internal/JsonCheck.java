package dev.kv.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.kv.InvalidValueException;
import java.io.IOException;

/**
 * Checks that bytes are one JSON document that PostgreSQL's {@code jsonb} accepts, so that every
 * store refuses a bad value of a JSONB store alike, before anything is written.
 *
 * <p>Beyond RFC 8259, {@code jsonb} refuses the escape {@code \u0000} and unpaired surrogate
 * escapes; both are refused here too.
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
        try (JsonParser parser = FACTORY.createParser(utf8)) {
            if (parser.nextToken() == null) {
                throw new InvalidValueException("value is not JSON: it is empty", null);
            }
            checkValue(parser);
            if (parser.nextToken() != null) {
                throw new InvalidValueException(
                        "value is not JSON: more than one value at "
                                + parser.currentTokenLocation().offsetDescription(),
                        null);
            }
        } catch (JsonProcessingException e) {
            throw new InvalidValueException("value is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidValueException("value is not JSON: " + e.getMessage(), e);
        }
        return utf8;
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
            }
        } while (depth > 0 && parser.nextToken() != null);
    }

    private static void checkString(String text, JsonParser parser) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw new InvalidValueException(
                        "value is not valid for jsonb: \\u0000 in a string at "
                                + parser.currentTokenLocation().offsetDescription(),
                        null);
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidValueException(
                        "value is not valid for jsonb: unpaired surrogate in a string at "
                                + parser.currentTokenLocation().offsetDescription(),
                        null);
            }
        }
    }
}
