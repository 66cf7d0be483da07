package dev.kv.contract.cdi;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
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
    private final List<String> aborted;

    private ContractRun(TestExecutionSummary summary, List<String> aborted) {
        this.summary = summary;
        this.aborted = aborted;
    }

    /** Runs every case of {@code runner} (a {@link dev.kv.contract.KvStoreContract}) and its nested classes. */
    public static ContractRun of(Class<?> runner) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        List<String> aborted = new CopyOnWriteArrayList<>();
        TestExecutionListener abortions = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
                    aborted.add(name(test) + ": "
                            + result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
                }
            }
        };
        launcher.execute(
                LauncherDiscoveryRequestBuilder.request()
                        .selectors(selectClass(runner))
                        .build(),
                listener,
                abortions);
        return new ContractRun(listener.getSummary(), List.copyOf(aborted));
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

    /** Every case that skipped itself through an assumption, by name, with the reason it gave. */
    public List<String> aborted() {
        return aborted;
    }

    /** Every failed case (or container: a class whose set-up failed) by name, with its exception. */
    public List<String> failures() {
        return summary.getFailures().stream().map(ContractRun::describe).toList();
    }

    /** The counts, every case that skipped itself and why, then every failure. */
    public String report() {
        return "%d cases run, %d passed, %d failed, %d skipped or aborted%s%s"
                .formatted(
                        started(),
                        succeeded(),
                        summary.getTotalFailureCount(),
                        skipped(),
                        aborted.stream().map(reason -> "\n  skipped " + reason).collect(Collectors.joining()),
                        failures().stream().map(failure -> "\n\n" + failure).collect(Collectors.joining()));
    }

    private static String describe(Failure failure) {
        StringWriter trace = new StringWriter();
        failure.getException().printStackTrace(new PrintWriter(trace));
        return name(failure.getTestIdentifier()) + "\n" + firstLines(trace.toString(), 12);
    }

    private static String name(TestIdentifier test) {
        return test.getUniqueId().replaceAll("\\[[a-z-]+:", "[");
    }

    private static String firstLines(String text, int lines) {
        return text.lines().limit(lines).collect(Collectors.joining("\n"));
    }
}
