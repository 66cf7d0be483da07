package dev.kv.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The client's share of an operation: CPU time of the calling thread and wall time per operation,
 * kv against raw JDBC, on one thread, in blocks that alternate between the two so that load from
 * elsewhere falls on both. What kv adds on top of the driver shows here as CPU microseconds, without
 * the database's noise that the throughput ratios carry.
 */
final class ClientCost {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int ROUNDS = 6;
    private static final List<String> OPERATIONS =
            List.of("getHit", "getMiss", "exists", "set64", "setWithTtl", "update");

    private ClientCost() {}

    static void run(BenchSettings settings, boolean unlogged) {
        Implementation kvImpl = unlogged ? Implementation.KV_UNLOGGED : Implementation.KV_LOGGED;
        Implementation jdbcImpl = unlogged ? Implementation.JDBC_UNLOGGED : Implementation.JDBC_LOGGED;
        byte[] value = new byte[64];
        try (KvOperations kv = kvImpl.open(settings);
                KvOperations jdbc = jdbcImpl.open(settings)) {
            System.out.printf(
                    "%-11s %28s %28s%n", "per op, µs", kvImpl.id + " cpu / wall", jdbcImpl.id + " cpu / wall");
            for (String operation : OPERATIONS) {
                int count = operation.startsWith("get") || operation.equals("exists") ? 4000 : 1000;
                double[] cpu = new double[2];
                double[] wall = new double[2];
                for (int round = 0; round < ROUNDS; round++) {
                    for (int side = 0; side < 2; side++) {
                        KvOperations ops = side == 0 ? kv : jdbc;
                        IntConsumer call = call(ops, operation, settings.keyCount(), value);
                        int first = round * count;
                        long cpu0 = THREADS.getCurrentThreadCpuTime();
                        long wall0 = System.nanoTime();
                        for (int i = first; i < first + count; i++) {
                            call.accept(i);
                        }
                        // The first round warms up.
                        if (round > 0) {
                            cpu[side] += (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e3 / count / (ROUNDS - 1);
                            wall[side] += (System.nanoTime() - wall0) / 1e3 / count / (ROUNDS - 1);
                        }
                    }
                }
                System.out.printf("%-11s %19.1f / %6.1f %19.1f / %6.1f%n", operation, cpu[0], wall[0], cpu[1], wall[1]);
            }
        }
    }

    private static IntConsumer call(KvOperations ops, String operation, int keyCount, byte[] value) {
        return switch (operation) {
            case "getHit" -> i -> ops.get(BenchKeys.key(spread(i, keyCount)));
            case "getMiss" -> i -> ops.get(BenchKeys.missingKey(i));
            case "exists" -> i -> ops.exists(BenchKeys.key(spread(i, keyCount)));
            case "set64" -> i -> ops.set(BenchKeys.key(spread(i, keyCount)), value);
            case "setWithTtl" -> i -> ops.set("ttl:" + i, value, Duration.ofHours(1));
            case "update" -> i -> ops.update(BenchKeys.key(spread(i, keyCount)), OperationsBenchmark::incremented);
            default -> throw new IllegalArgumentException(operation);
        };
    }

    /** Visits the keys in an order unrelated to their names. */
    private static int spread(int i, int keyCount) {
        return (int) ((i * 7919L) % keyCount);
    }
}
