package dev.kv.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kv.KvValidationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The value of a lock entry, {@code {"owner":…,"token":…}}, written alike by every store (compact, owner
 * first), so that a BYTEA store can compare it byte for byte.
 *
 * @param owner who holds the lock
 * @param token its fencing token
 */
public record LockValue(String owner, long token) {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /**
     * Returns {@code owner}.
     *
     * @throws KvValidationException if it is null or empty
     */
    public static String owner(String owner) {
        if (owner == null || owner.isEmpty()) {
            throw new KvValidationException("owner must not be empty");
        }
        return owner;
    }

    /** The owner as a JSON string. */
    public static String ownerJson(String owner) {
        try {
            return MAPPER.writeValueAsString(TextNode.valueOf(owner));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the value starts with, up to the token's digits. */
    public static String prefix(String owner) {
        return "{\"owner\":" + ownerJson(owner) + ",\"token\":";
    }

    /** The value's UTF-8 bytes. */
    public byte[] bytes() {
        return (prefix(owner) + token + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The lock in {@code value}, or null if it holds none (absent, not JSON, not a lock). */
    public static LockValue parse(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode node = MAPPER.readTree(value);
            if (node != null
                    && node.isObject()
                    && node.path("owner").isTextual()
                    && node.path("token").canConvertToExactIntegral()
                    && node.path("token").canConvertToLong()) {
                return new LockValue(
                        node.get("owner").asText(), node.get("token").asLong());
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }
}
