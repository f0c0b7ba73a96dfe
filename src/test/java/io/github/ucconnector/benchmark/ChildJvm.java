package io.github.ucconnector.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.ucconnector.support.ConnectorJvm;

/**
 * A JVM the harness starts (the packaged connector jar, or the baseline), with its output in a log file of the
 * results folder. Measures how long it takes to print its "running" line and reads its peak resident memory.
 */
final class ChildJvm implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** USER_HZ, 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final ConnectorJvm jvm;
    private final Duration startUp;

    private ChildJvm(String name, ConnectorJvm jvm, Duration startUp) {
        this.name = name;
        this.jvm = jvm;
        this.startUp = startUp;
    }

    /**
     * Starts {@code java <jvmArgs>} with the given environment only (plus PATH and HOME), and waits until its output
     * contains {@code readyLine}.
     */
    static ChildJvm start(String name, List<String> jvmArgs, Map<String, String> env, String readyLine, Path logDir) {
        long started = System.nanoTime();
        // In the results folder: no routes/ folder there, so the connector runs the routes packaged in its jar.
        ConnectorJvm jvm = ConnectorJvm.java(name, jvmArgs).jvmOptions(List.of()).onlyThisEnvironment().env(env)
                .workDir(logDir).log(logDir.resolve(name + ".log")).start();
        jvm.awaitOutput(readyLine, START_TIMEOUT);
        return new ChildJvm(name, jvm, Duration.ofNanos(System.nanoTime() - started));
    }

    /** From the start of the process until it printed its ready line. */
    Duration startUp() {
        return startUp;
    }

    /** Peak resident set size so far (Linux {@code VmHWM}), in MiB. */
    double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(jvm.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmHWM for " + name);
    }

    /** CPU time the process has used so far (user and system, Linux {@code /proc/<pid>/stat}), in seconds. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(jvm.pid()), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks / (double) CLOCK_TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asks the JVM to stop the way an orchestrator does (SIGTERM), without waiting. */
    void requestStop() {
        jvm.sigterm();
    }

    /** Stops the JVM (SIGTERM) and waits for it. */
    @Override
    public void close() {
        jvm.sigterm();
        try {
            jvm.awaitExit(Duration.ofSeconds(60));
        } catch (AssertionError e) {
            jvm.sigkill();
        }
    }

    @Override
    public String toString() {
        return jvm.toString();
    }
}
