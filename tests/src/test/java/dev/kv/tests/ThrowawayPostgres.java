package dev.kv.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL cluster of its own, made by the machine's {@code initdb} in a temporary directory and
 * listening on a free port of 127.0.0.1 (trust authentication, user {@code postgres}): for tests that
 * crash, stop and promote servers. When the test runs as root, every server command runs as the
 * {@code postgres} user, since PostgreSQL refuses root. {@link #close()} stops the server and deletes
 * its directory.
 */
final class ThrowawayPostgres implements AutoCloseable {

    private static final String OS_USER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final Path binaries;
    private final Path directory;
    private final int port;
    private boolean running;

    private ThrowawayPostgres(Path binaries, Path directory, int port) {
        this.binaries = binaries;
        this.directory = directory;
        this.port = port;
    }

    /**
     * A new primary, started, with streaming replication allowed.
     *
     * @throws org.opentest4j.TestAbortedException if the PostgreSQL server binaries are not installed
     */
    static ThrowawayPostgres startPrimary(String name) {
        Path binaries = binaries();
        Path directory = newDirectory(name);
        ThrowawayPostgres server = new ThrowawayPostgres(binaries, directory, freePort());
        try {
            server.run(
                    "initdb",
                    "-D",
                    server.data().toString(),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "--no-sync",
                    "-E",
                    "UTF8");
            server.appendToConfiguration(
                    "wal_level = replica",
                    "max_wal_senders = 4",
                    "hot_standby = on",
                    "max_connections = 40",
                    "shared_buffers = 16MB");
            server.start();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A streaming replica of this server, from a base backup, started and connected. */
    ThrowawayPostgres startReplica(String name) {
        ThrowawayPostgres replica = new ThrowawayPostgres(binaries, newDirectory(name), freePort());
        try {
            replica.run(
                    "pg_basebackup",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(port),
                    "-U",
                    "postgres",
                    "-D",
                    replica.data().toString(),
                    "-R",
                    "-X",
                    "stream",
                    "--no-sync");
            replica.appendToConfiguration("cluster_name = '" + name + "'");
            replica.start();
            awaitTrue("SELECT count(*) = 1 FROM pg_stat_replication WHERE state = 'streaming'");
            return replica;
        } catch (RuntimeException e) {
            replica.close();
            throw e;
        }
    }

    /**
     * Makes every commit wait until a replica has flushed it ({@code synchronous_standby_names = '*'},
     * {@code synchronous_commit = on}), once a replica reports synchronous.
     */
    void requireSynchronousReplica() {
        execute("ALTER SYSTEM SET synchronous_standby_names = '*'");
        execute("ALTER SYSTEM SET synchronous_commit = on");
        execute("SELECT pg_reload_conf()");
        awaitTrue("SELECT count(*) = 1 FROM pg_stat_replication WHERE sync_state = 'sync'");
    }

    /**
     * Has the server ask every user but {@code postgres} for a password over TCP (SCRAM), for tests of
     * refused credentials; {@code postgres} keeps trust so that the test can still administer it.
     */
    void requirePasswords() {
        try {
            Files.writeString(
                    data().resolve("pg_hba.conf"),
                    """
                    host all postgres 127.0.0.1/32 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        execute("SELECT pg_reload_conf()");
    }

    int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, for a JDBC URL. */
    String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    void start() {
        run(
                "pg_ctl",
                "-D",
                data().toString(),
                "-l",
                directory.resolve("server.log").toString(),
                "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + directory,
                "-w",
                "-t",
                "60",
                "start");
        running = true;
    }

    /** Stops the server as a crash does: no checkpoint, connections cut, recovery from the log at the next start. */
    void crash() {
        run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
        running = false;
    }

    /** Stops the server cleanly, as an administrator does: a shutdown checkpoint writes every table, UNLOGGED ones too. */
    void stop() {
        run("pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "stop");
        running = false;
    }

    /** Ends recovery: the replica becomes a primary that takes writes. Returns when it does. */
    void promote() {
        run("pg_ctl", "-D", data().toString(), "-w", "-t", "60", "promote");
    }

    /** Runs {@code sql} on database {@code postgres}, for its side effects. */
    void execute(String sql) {
        TestDatabase.execute(dataSource(), sql);
    }

    /** The first column of every row {@code sql} returns, as text. */
    List<String> query(String sql) {
        return PostgresQueries.column(dataSource(), sql);
    }

    private DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL("jdbc:postgresql://" + hostAndPort() + "/postgres");
        dataSource.setUser("postgres");
        return dataSource;
    }

    private void awaitTrue(String sql) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"t".equals(query(sql).get(0))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("still false after 60 s on port " + port + ": " + sql);
            }
            sleep(20);
        }
    }

    /** Stops the server, if it runs, and deletes its directory: nothing is left behind. */
    @Override
    public void close() {
        try {
            if (running) {
                run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
                running = false;
            }
        } finally {
            deleteRecursively(directory);
        }
    }

    @Override
    public String toString() {
        return "throwaway PostgreSQL on " + hostAndPort() + " in " + directory;
    }

    private Path data() {
        return directory.resolve("data");
    }

    private void appendToConfiguration(String... lines) {
        try {
            Files.writeString(
                    data().resolve("postgresql.conf"),
                    "\n" + String.join("\n", lines) + "\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        command.add(binaries.resolve(program).toString());
        command.addAll(List.of(arguments));
        Path output = directory.resolve(program + ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                        + ":\n" + Files.readString(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The directory of {@code initdb}, {@code pg_ctl} and {@code pg_basebackup}; skips the test when there is none. */
    private static Path binaries() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("KV_TEST_PG_BINDIR");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        pgConfigBindir().ifPresent(candidates::add);
        try (Stream<Path> installed = Files.list(Path.of("/usr/lib/postgresql"))) {
            installed
                    .sorted(Comparator.reverseOrder())
                    .map(version -> version.resolve("bin"))
                    .forEach(candidates::add);
        } catch (IOException e) {
            // no Debian-style installation
        }
        Path found = candidates.stream()
                .filter(directory -> Files.isExecutable(directory.resolve("initdb"))
                        && Files.isExecutable(directory.resolve("pg_ctl"))
                        && Files.isExecutable(directory.resolve("pg_basebackup")))
                .findFirst()
                .orElse(null);
        Assumptions.assumeTrue(
                found != null,
                "this test starts its own PostgreSQL servers and needs initdb, pg_ctl and pg_basebackup: install the "
                        + "PostgreSQL server binaries, or set KV_TEST_PG_BINDIR to their directory; looked in "
                        + candidates);
        Assumptions.assumeTrue(
                !runningAsRoot()
                        || Files.isExecutable(Path.of("/usr/sbin/runuser"))
                        || Files.isExecutable(Path.of("/sbin/runuser")),
                "PostgreSQL refuses to run as root, and runuser is missing to run it as " + OS_USER);
        return found;
    }

    private static java.util.Optional<Path> pgConfigBindir() {
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 && !out.isEmpty()
                    ? java.util.Optional.of(Path.of(out))
                    : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A new temporary directory the server's OS user owns. */
    private static Path newDirectory(String name) {
        try {
            Path directory = Files.createTempDirectory("kv-" + name + "-");
            if (runningAsRoot()) {
                UserPrincipal owner = directory
                        .getFileSystem()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByName(OS_USER);
                Files.setOwner(directory, owner);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
