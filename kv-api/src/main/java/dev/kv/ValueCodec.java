package dev.kv;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns the values of a {@link TypedKvStore} into the bytes a store keeps, and back. A value the
 * codec cannot encode is an {@link InvalidValueException}; stored bytes it cannot decode are a
 * {@link TypeMismatchException}.
 */
public interface ValueCodec<V> {

    byte[] encode(V value);

    V decode(byte[] bytes);

    /**
     * JSON through Jackson (records, collections, {@code java.time} types as ISO-8601 text): readable
     * with SQL in a JSONB store, and valid in a BYTEA one.
     */
    static <V> ValueCodec<V> json(Class<V> type) {
        return new JsonCodec<>(JsonCodec.DEFAULT_MAPPER, JsonCodec.DEFAULT_MAPPER.constructType(type));
    }

    /** JSON through a Jackson mapper you configure, for a type such as {@code List<Order>}. */
    static <V> ValueCodec<V> json(ObjectMapper mapper, JavaType type) {
        return new JsonCodec<>(Objects.requireNonNull(mapper, "mapper"), Objects.requireNonNull(type, "type"));
    }

    /** Bytes as they are, for a BYTEA store. */
    static ValueCodec<byte[]> bytes() {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(byte[] value) {
                return value;
            }

            @Override
            public byte[] decode(byte[] bytes) {
                return bytes;
            }
        };
    }

    /** Text as UTF-8, for a BYTEA store (a JSONB store would need the text to be JSON). */
    static ValueCodec<String> utf8() {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
    }

    /** The JSON codec of {@link #json}. */
    final class JsonCodec<V> implements ValueCodec<V> {

        static final ObjectMapper DEFAULT_MAPPER = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();

        private final ObjectMapper mapper;
        private final JavaType type;

        private JsonCodec(ObjectMapper mapper, JavaType type) {
            this.mapper = mapper;
            this.type = type;
        }

        @Override
        public byte[] encode(V value) {
            try {
                return mapper.writeValueAsBytes(value);
            } catch (JsonProcessingException e) {
                throw new InvalidValueException("cannot write " + type + " as JSON: " + e.getOriginalMessage(), e);
            }
        }

        @Override
        public V decode(byte[] bytes) {
            try {
                return mapper.readValue(bytes, type);
            } catch (JsonProcessingException e) {
                // Jackson's message quotes the stored text, which may be secret: say only where it fails.
                JsonLocation where = e.getLocation();
                throw new TypeMismatchException(
                        "stored value is not a " + type
                                + (where == null ? "" : " (it fails at " + where.offsetDescription() + ")"),
                        null);
            } catch (IOException e) {
                throw new TypeMismatchException("stored value is not a " + type, e);
            }
        }
    }
}
