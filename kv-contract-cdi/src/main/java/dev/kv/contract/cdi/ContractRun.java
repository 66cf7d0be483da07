package dev.kv.contract.cdi;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.launcher.listeners.TestExecutionSummary.Failure;

/**
 * A contract runner run through the JUnit Platform in this JVM: inside a container, where a test
 * framework's own extension cannot run nested classes, the whole kit still runs, case by case.
 */
public final class ContractRun {

    private final TestExecutionSummary summary;

    private ContractRun(TestExecutionSummary summary) {
        this.summary = summary;
    }

    /** Runs every case of {@code runner} (a {@link dev.kv.contract.KvStoreContract}) and its nested classes. */
    public static ContractRun of(Class<?> runner) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(runner))
                        .build(),
                listener);
        return new ContractRun(listener.getSummary());
    }

    public long started() {
        return summary.getTestsStartedCount();
    }

    public long succeeded() {
        return summary.getTestsSucceededCount();
    }

    public long skipped() {
        return summary.getTestsSkippedCount() + summary.getTestsAbortedCount();
    }

    /** Every failed case (or container: a class whose set-up failed) by name, with its exception. */
    public List<String> failures() {
        return summary.getFailures().stream().map(ContractRun::describe).toList();
    }

    /** The counts, then every failure. */
    public String report() {
        return "%d cases run, %d passed, %d failed, %d skipped or aborted%s"
                .formatted(
                        started(),
                        succeeded(),
                        summary.getTotalFailureCount(),
                        skipped(),
                        failures().stream().map(failure -> "\n\n" + failure).collect(Collectors.joining()));
    }

    private static String describe(Failure failure) {
        StringWriter trace = new StringWriter();
        failure.getException().printStackTrace(new PrintWriter(trace));
        return failure.getTestIdentifier().getUniqueId().replaceAll("\\[[a-z-]+:", "[") + "\n"
                + firstLines(trace.toString(), 12);
    }

    private static String firstLines(String text, int lines) {
        return text.lines().limit(lines).collect(Collectors.joining("\n"));
    }
}
