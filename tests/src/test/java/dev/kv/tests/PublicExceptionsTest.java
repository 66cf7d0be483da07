package dev.kv.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kv.KvConfig;
import dev.kv.KvDatabaseException;
import dev.kv.KvException;
import dev.kv.KvStore;
import dev.kv.entities.KvEntry;
import dev.kv.jpa.JpaKvStores;
import dev.kv.memory.MemoryKvStores;
import dev.kv.migrations.KvMigrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every exception a caller of kv can see is a {@link KvException}: one root to catch, with a cause. */
class PublicExceptionsTest {

    /** A class from each module a caller of the API reaches. */
    private static final List<Class<?>> MODULES =
            List.of(KvStore.class, MemoryKvStores.class, JpaKvStores.class, KvMigrations.class, KvEntry.class);

    @Test
    void everyPublicExceptionClassOfEveryModuleIsAKvException() {
        List<Class<?>> exceptions = new ArrayList<>();
        for (Class<?> module : MODULES) {
            for (String name : classNames(module)) {
                Class<?> type = load(name);
                if (Throwable.class.isAssignableFrom(type) && Modifier.isPublic(type.getModifiers())) {
                    exceptions.add(type);
                }
            }
        }
        assertThat(exceptions).hasSizeGreaterThan(10).allSatisfy(type -> assertThat(type)
                .as("%s is seen by callers", type.getName())
                .isAssignableTo(KvException.class));
        assertThat(exceptions)
                .extracting(Class::getSimpleName)
                .contains("MigrationException", "InvalidIdentifierException");
    }

    @Test
    void aPoolThatCannotConnectIsADatabaseException() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> JpaKvStores.open(
                        "jdbc:postgresql://127.0.0.1:" + closedPort + "/kv?connectTimeout=2",
                        "kv",
                        "planted-secret",
                        KvConfig.builder().build()))
                .isInstanceOf(KvDatabaseException.class)
                .hasMessageNotContaining("planted-secret")
                .satisfies(
                        e -> assertThat(((KvDatabaseException) e).retryable()).isTrue());
    }

    private static List<String> classNames(Class<?> module) {
        try {
            Path location = Path.of(
                    module.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    return files.map(location::relativize)
                            .map(Path::toString)
                            .filter(file -> file.endsWith(".class"))
                            .map(PublicExceptionsTest::className)
                            .toList();
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                return jar.stream()
                        .map(entry -> entry.getName())
                        .filter(file -> file.endsWith(".class") && !file.endsWith("module-info.class"))
                        .map(PublicExceptionsTest::className)
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String className(String file) {
        return file.substring(0, file.length() - ".class".length())
                .replace('/', '.')
                .replace('\\', '.');
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicExceptionsTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
