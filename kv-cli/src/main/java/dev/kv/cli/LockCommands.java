package dev.kv.cli;

import dev.kv.KvStore;
import dev.kv.Lease;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Leased locks: an entry naming its owner, free again when released or when the lease runs out. */
final class LockCommands {

    private LockCommands() {}

    @Command(
            name = "lock",
            mixinStandardHelpOptions = true,
            description = "Acquire and release leased locks.",
            subcommands = {Acquire.class, Release.class})
    static final class Lock {}

    @Command(
            name = "acquire",
            description =
                    "Take the lock for <lockedBy>, or renew it if <lockedBy> holds it. Exit 3 if another holds it.")
    static final class Acquire extends StoreCommand {
        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Parameters(index = "1", paramLabel = "<lockedBy>")
        String lockedBy;

        @Option(
                names = "--duration",
                defaultValue = "10m",
                converter = Durations.class,
                description = "The lease. Default: ${DEFAULT-VALUE}.")
        Duration duration;

        @Override
        void run(KvStore store, Output output) {
            Lease lease = store.tryLock(name, lockedBy, duration)
                    .orElseThrow(() -> Failures.conflict("lock \"" + name + "\" is held by another owner"));
            output.result("acquired", "name", name, "lockedBy", lockedBy, "acquired", true, "token", lease.token());
        }
    }

    @Command(name = "release", description = "Release the lock if <lockedBy> holds it. Exit 1 if it does not.")
    static final class Release extends StoreCommand {
        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Parameters(index = "1", paramLabel = "<lockedBy>")
        String lockedBy;

        @Override
        void run(KvStore store, Output output) {
            Optional<Lease> held =
                    store.lockStatus(name).filter(lease -> lease.owner().equals(lockedBy));
            if (held.isEmpty() || !store.unlock(held.get())) {
                throw Failures.notFound("lock \"" + name + "\" is not held by " + lockedBy);
            }
            output.result("released", "name", name, "released", true);
        }
    }
}
