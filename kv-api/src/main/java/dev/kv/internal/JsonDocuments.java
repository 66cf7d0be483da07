package dev.kv.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.Map;

/** JSON as PostgreSQL's jsonb sees it: equality of values (not bytes) and RFC 7386 merge patches. */
public final class JsonDocuments {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    /** Numbers are equal when their values are (1 = 1.0, as in jsonb); everything else by structure. */
    private static final Comparator<JsonNode> JSONB_EQUALITY =
            (a, b) -> a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;

    private JsonDocuments() {}

    public static JsonNode parse(byte[] utf8) {
        try {
            return MAPPER.readTree(JsonCheck.check(utf8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether two values are the same JSON value: key order, whitespace and number spelling do not count. */
    public static boolean sameValue(byte[] a, byte[] b) {
        return parse(a).equals(JSONB_EQUALITY, parse(b));
    }

    /** The document {@code current} (null: none) with the merge patch applied, as compact UTF-8 JSON. */
    public static byte[] mergePatch(byte[] current, byte[] patch) {
        return write(mergePatch(current == null ? null : parse(current), parse(patch)));
    }

    /** RFC 7386: objects merge member by member, a null member removes, anything else replaces. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result =
                target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : MAPPER.createObjectNode();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            if (member.getValue().isNull()) {
                result.remove(member.getKey());
            } else {
                result.set(member.getKey(), mergePatch(result.get(member.getKey()), member.getValue()));
            }
        }
        return result;
    }
}
