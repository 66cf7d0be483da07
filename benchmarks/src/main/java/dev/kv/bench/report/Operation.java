package dev.kv.bench.report;

import java.util.Arrays;

/** The benchmark methods of {@code OperationsBenchmark} as the report names them, in report order. */
enum Operation {
    SET_64("set64", "set 64 B", true),
    SET_1K("set1k", "set 1 KB", true),
    SET_4K("set4k", "set 4 KB", true),
    SET_WITH_TTL("setWithTtl", "set with TTL", true),
    GET_HIT("getHit", "get (hit)", true),
    GET_MISS("getMiss", "get (miss)", true),
    EXISTS("exists", "exists", true),
    DELETE("delete", "delete", true),
    UPDATE("update", "update (read-modify-write)", true),
    INCREMENT("increment", "increment", true),
    GET_MANY_10("getMany10", "getMany, 10 keys", false, 10),
    GET_MANY_100("getMany100", "getMany, 100 keys", false, 100),
    GET_MANY_500("getMany500", "getMany, 500 keys", false, 500),
    SET_MANY_10("setMany10", "setMany, 10 keys", false, 10),
    SET_MANY_100("setMany100", "setMany, 100 keys", false, 100),
    SET_MANY_500("setMany500", "setMany, 500 keys", false, 500),
    KEYS_PREFIX("keysPrefix", "keys(prefix), 100 keys", false),
    KEYS_PAGE("keysPage", "keys(prefix) page of 100 after a cursor", false),
    MIXED("mixed", "mixed 80 % get / 20 % set", false);

    final String method;
    final String label;
    /** Whether the 0.8 × raw JDBC target applies: it is for single-key operations. */
    final boolean singleKey;
    /** Keys one call reads or writes: the batch size, 1 for the others. */
    final int keys;

    Operation(String method, String label, boolean singleKey) {
        this(method, label, singleKey, 1);
    }

    Operation(String method, String label, boolean singleKey, int keys) {
        this.method = method;
        this.label = label;
        this.singleKey = singleKey;
        this.keys = keys;
    }

    /** The single-key operation a batch is compared with: get (hit) for getMany, set 64 B for setMany. */
    Operation single() {
        return switch (this) {
            case GET_MANY_10, GET_MANY_100, GET_MANY_500 -> GET_HIT;
            case SET_MANY_10, SET_MANY_100, SET_MANY_500 -> SET_64;
            default -> throw new IllegalStateException(this + " is not a batch");
        };
    }

    boolean isBatch() {
        return keys > 1;
    }

    static Operation byMethod(String method) {
        return Arrays.stream(values())
                .filter(operation -> operation.method.equals(method))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no operation \"" + method + "\""));
    }
}
