package dev.kv;

import java.util.Objects;
import java.util.function.Function;

/**
 * Maps the keys of a {@link TypedKvStore} to the strings a store keeps, and back. The mapping must
 * be one-to-one, and for ordered scans to follow the key type's order, order-preserving.
 */
public interface KeyMapper<K> {

    String toKey(K key);

    K fromKey(String key);

    /** String keys as they are. */
    static KeyMapper<String> identity() {
        return of(Function.identity(), Function.identity());
    }

    /** A mapper from two functions, e.g. {@code KeyMapper.of(UUID::toString, UUID::fromString)}. */
    static <K> KeyMapper<K> of(Function<K, String> toKey, Function<String, K> fromKey) {
        Objects.requireNonNull(toKey, "toKey");
        Objects.requireNonNull(fromKey, "fromKey");
        return new KeyMapper<>() {
            @Override
            public String toKey(K key) {
                return toKey.apply(key);
            }

            @Override
            public K fromKey(String key) {
                return fromKey.apply(key);
            }
        };
    }
}
