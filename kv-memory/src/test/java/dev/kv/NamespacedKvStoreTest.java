package dev.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kv.memory.MemoryKvStores;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a namespace's keys are stored: what the store underneath, and a migration, sees. */
class NamespacedKvStoreTest {

    private static byte[] v(String text) {
        return ("\"" + text + "\"").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void oneNameIsStoredAsItsNameAndAColonAndAPathAsItsLengthAndNames() {
        try (KvStore store = MemoryKvStores.open(KvConfig.defaults())) {
            store.namespace("app").set("users:42", v("outer"));
            store.namespace("app", "users").set("42", v("ada"));
            store.namespace("app").namespace("users", "admins").set("1", v("root"));
            assertThat(store.keys("")).containsExactly(":2:app:users:42", ":3:app:users:admins:1", "app:users:42");
        }
    }

    @Test
    void noPrefixStartsWithAnother() {
        List<List<String>> paths = List.of(
                List.of("a"),
                List.of("ab"),
                List.of("a", "b"),
                List.of("a", "bc"),
                List.of("ab", "c"),
                List.of("a", "b", "c"),
                List.of("2"),
                List.of("2", "a"),
                List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
                List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"));
        for (List<String> path : paths) {
            for (List<String> other : paths) {
                if (!path.equals(other)) {
                    assertThat(NamespacedKvStore.prefix(other))
                            .as("%s under %s", other, path)
                            .doesNotStartWith(NamespacedKvStore.prefix(path));
                }
            }
        }
    }

    @Test
    void theViewNamesItsPath() {
        try (KvStore store = MemoryKvStores.open(KvConfig.defaults())) {
            assertThat(store.namespace("app").namespace("users").toString()).startsWith("namespace [app, users] of ");
        }
    }
}
