package dev.kv.jcache;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Cache keys as kv keys: a {@code String}, {@code Long} or {@code Integer} key is readable in the table
 * ({@code s:name}, {@code l:42}, {@code i:7}); any other key is the Base64 of its Java serialization
 * ({@code o:rO0AB…}). Two equal keys must serialize to the same bytes, as the boxed types, strings, records,
 * enums and the usual value classes do.
 */
final class StoreKeys {

    private final ClassLoader classLoader;

    StoreKeys(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    String encode(Object key) {
        if (key instanceof String text && storable(text)) {
            return "s:" + text;
        }
        if (key instanceof Long number) {
            return "l:" + number;
        }
        if (key instanceof Integer number) {
            return "i:" + number;
        }
        return "o:" + Base64.getUrlEncoder().withoutPadding().encodeToString(JavaSerialization.toBytes(key));
    }

    Object decode(String storeKey) {
        String body = storeKey.substring(2);
        return switch (storeKey.charAt(0)) {
            case 's' -> body;
            case 'l' -> Long.valueOf(body);
            case 'i' -> Integer.valueOf(body);
            default -> JavaSerialization.fromBytes(Base64.getUrlDecoder().decode(body), classLoader);
        };
    }

    /** kv keys are text: a NUL or an unpaired surrogate cannot be stored as such. */
    private static boolean storable(String text) {
        if (text.indexOf('\0') >= 0) {
            return false;
        }
        return StandardCharsets.UTF_8.newEncoder().canEncode(text);
    }
}
