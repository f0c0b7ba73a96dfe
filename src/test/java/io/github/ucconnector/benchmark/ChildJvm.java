package io.github.ucconnector.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the harness starts (the packaged connector jar, or the baseline), with its output in a log file of the
 * results folder. Measures how long it takes to print its "running" line and reads its peak resident memory.
 */
final class ChildJvm implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** USER_HZ, 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private final String name;
    private final Process process;
    private final Path log;
    private final Duration startUp;

    private ChildJvm(String name, Process process, Path log, Duration startUp) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startUp = startUp;
    }

    /**
     * Starts {@code java <jvmArgs>} with the given environment only (plus PATH and HOME), and waits until its output
     * contains {@code readyLine}.
     */
    static ChildJvm start(String name, List<String> jvmArgs, Map<String, String> env, String readyLine, Path logDir) {
        Path log = logDir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // In the results folder: no routes/ folder there, so the connector runs the routes packaged in its jar.
        ProcessBuilder builder = new ProcessBuilder(java).directory(logDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.command().addAll(jvmArgs);
        // The connector reads every setting from the environment: nothing of the harness's may leak in.
        Map<String, String> childEnv = builder.environment();
        String path = childEnv.get("PATH");
        String home = childEnv.get("HOME");
        childEnv.clear();
        childEnv.put("PATH", path == null ? "/usr/bin:/bin" : path);
        if (home != null) {
            childEnv.put("HOME", home);
        }
        childEnv.putAll(env);
        long started = System.nanoTime();
        try {
            Files.createDirectories(logDir);
            Process process = builder.start();
            while (!read(log).contains(readyLine)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited before it was ready; see " + log);
                }
                if (System.nanoTime() - started > START_TIMEOUT.toNanos()) {
                    process.destroyForcibly();
                    throw new IllegalStateException(name + " was not ready after " + START_TIMEOUT + "; see " + log);
                }
                Thread.sleep(10);
            }
            return new ChildJvm(name, process, log, Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** From the start of the process until it printed its ready line. */
    Duration startUp() {
        return startUp;
    }

    /** Peak resident set size so far (Linux {@code VmHWM}), in MiB. */
    double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
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
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
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
        process.destroy();
    }

    /** Stops the JVM (SIGTERM) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
