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
    UPDATE("update", "update (read-modify-write; stands in for increment)", true),
    KEYS_PREFIX("keysPrefix", "keys(prefix), 100 keys", false),
    MIXED("mixed", "mixed 80 % get / 20 % set", false);

    final String method;
    final String label;
    /** Whether the 0.8 × raw JDBC target applies: it is for single-key operations. */
    final boolean singleKey;

    Operation(String method, String label, boolean singleKey) {
        this.method = method;
        this.label = label;
        this.singleKey = singleKey;
    }

    static Operation byMethod(String method) {
        return Arrays.stream(values())
                .filter(operation -> operation.method.equals(method))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no operation \"" + method + "\""));
    }
}
