package dev.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.memory.MemoryKvStores;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ForwardingKvStoreTest {

    /** What is not an operation on entries and so does not pass the hook. */
    private static final Set<String> NOT_OPERATIONS =
            Set.of("config", "stats", "changes", "close", "namespace", "encrypted");

    /** The streams, which read their pages through the view's own scans, each page passing the hook. */
    private static final Map<String, String> PAGED_BY = Map.of("stream", "scan", "streamKeys", "keys");

    private static Stream<Method> kvStoreMethods() {
        return Arrays.stream(KvStore.class.getMethods()).filter(method -> !Modifier.isStatic(method.getModifiers()));
    }

    @Test
    void declaresEveryKvStoreMethodDefaultsIncluded() {
        List<String> missing = kvStoreMethods()
                .filter(method -> {
                    try {
                        Method declared =
                                ForwardingKvStore.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
                        return Modifier.isAbstract(declared.getModifiers());
                    } catch (NoSuchMethodException e) {
                        return true;
                    }
                })
                .map(Method::toGenericString)
                .toList();
        assertThat(missing)
                .as("KvStore methods ForwardingKvStore does not forward")
                .isEmpty();
    }

    /** Records the name each call passes the hook with. */
    private static final class Recording extends ForwardingKvStore {

        final List<String> operations = new ArrayList<>();

        Recording(KvStore delegate) {
            super(delegate);
        }

        @Override
        protected <T> T forward(String operation, Supplier<T> call) {
            operations.add(operation);
            return call.get();
        }

        @Override
        protected KvStore over(KvStore transaction) {
            return transaction;
        }
    }

    @Test
    void everyOperationPassesTheHookOnceUnderItsMethodsName() throws Exception {
        try (KvStore store = MemoryKvStores.open(KvConfig.defaults())) {
            Recording view = new Recording(store);
            List<Method> operations = kvStoreMethods()
                    .filter(method -> !NOT_OPERATIONS.contains(method.getName()))
                    .toList();
            assertThat(operations).hasSizeGreaterThan(40);
            for (Method operation : operations) {
                store.set("a", bytes("1"));
                view.operations.clear();
                try {
                    Object result = operation.invoke(view, arguments(operation));
                    if (result instanceof Stream<?> stream) {
                        stream.close();
                        assertThat(view.operations)
                                .as("a stream reads nothing until consumed")
                                .isEmpty();
                        ((Stream<?>) operation.invoke(view, arguments(operation))).forEach(item -> {});
                    }
                } catch (InvocationTargetException e) {
                    // Refused arguments (a version conflict, say) still passed the hook first.
                    assertThat(e.getCause()).isInstanceOf(KvException.class);
                }
                assertThat(view.operations)
                        .as(operation.toGenericString())
                        .containsExactly(PAGED_BY.getOrDefault(operation.getName(), operation.getName()));
            }
        }
    }

    private static Object[] arguments(Method method) {
        Class<?>[] types = method.getParameterTypes();
        Object[] arguments = new Object[types.length];
        int strings = 0;
        for (int i = 0; i < types.length; i++) {
            Class<?> type = types[i];
            if (type == String.class) {
                arguments[i] = strings++ == 0 ? "a" : "z";
            } else if (type == byte[].class) {
                arguments[i] = bytes("1");
            } else if (type == Duration.class) {
                arguments[i] = Duration.ofMinutes(1);
            } else if (type == long.class) {
                arguments[i] = 1L;
            } else if (type == int.class) {
                arguments[i] = 10;
            } else if (type == Expiry.class) {
                arguments[i] = Expiry.idle(Duration.ofMinutes(1));
            } else if (type == UnaryOperator.class) {
                arguments[i] = UnaryOperator.<byte[]>identity();
            } else if (type == Function.class) {
                arguments[i] = (Function<KvStore, Object>) tx -> null;
            } else if (type == ScanOptions.class) {
                arguments[i] = ScanOptions.all();
            } else if (type == Map.class) {
                arguments[i] = Map.of("a", bytes("2"));
            } else if (type == List.class) {
                arguments[i] = List.of(Mutation.delete("a"));
            } else if (type == Collection.class) {
                arguments[i] = List.of("a");
            } else if (type == Lease.class) {
                arguments[i] = new Lease("a", "owner", 1, Duration.ofMinutes(1));
            } else {
                throw new AssertionError("no sample argument of " + type + " for " + method);
            }
        }
        return arguments;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
