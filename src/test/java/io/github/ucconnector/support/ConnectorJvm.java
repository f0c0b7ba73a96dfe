package io.github.ucconnector.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.ucconnector.Launcher;
import io.github.ucconnector.config.Setting;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The connector (or another program) in a JVM of its own, started the way it is deployed, so that its logging is
 * configured as in production and it can be stopped with SIGTERM or killed with SIGKILL (no shutdown hook, no leaving
 * the group), as an orchestrator, a crashed host or an OOM kill would end it. Everything it prints lands in one log
 * file, appended to across restarts.
 */
public final class ConnectorJvm implements AutoCloseable {

    /** The first line of the banner the launcher prints once Camel has started. */
    public static final String BANNER = "UltraCart Conversation connector is running";

    private final String name;
    private final Process process;
    private final Path log;
    private final long logOffsetAtStart;

    private ConnectorJvm(String name, Process process, Path log, long logOffsetAtStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logOffsetAtStart = logOffsetAtStart;
    }

    /** The connector's {@link Launcher}, the jar's entry point, from the test class path. */
    public static Builder onClassPath(String name) {
        return new Builder(name).args("-cp", System.getProperty("java.class.path"), Launcher.class.getName());
    }

    /** The packaged connector jar. */
    public static Builder packagedJar(String name, Path jar) {
        return new Builder(name).args("-jar", jar.toAbsolutePath().toString());
    }

    /** Any main class or jar: {@code java <args>}. */
    public static Builder java(String name, List<String> args) {
        return new Builder(name).args(args.toArray(String[]::new));
    }

    /** How to start the JVM; by default {@code -Xmx256m}, with only the settings given here. */
    public static final class Builder {

        private final String name;
        private final List<String> jvmOptions = new ArrayList<>(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"));
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private boolean onlyThisEnvironment;
        private Path workDir;
        private Path log;

        private Builder(String name) {
            this.name = name;
            this.log = Path.of("target", "child-jvm-logs", name + ".log");
        }

        private Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /** Replaces the default JVM options (heap, JIT). */
        public Builder jvmOptions(List<String> options) {
            jvmOptions.clear();
            jvmOptions.addAll(options);
            return this;
        }

        /** Environment variables of the child; no connector setting reaches it from this JVM's environment. */
        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        /** Nothing of this JVM's environment but PATH and HOME, for programs that read other variables too. */
        public Builder onlyThisEnvironment() {
            onlyThisEnvironment = true;
            return this;
        }

        public Builder workDir(Path directory) {
            workDir = directory;
            return this;
        }

        /** Where its output goes (appended to); by default {@code target/child-jvm-logs/<name>.log}. */
        public Builder log(Path file) {
            log = file;
            return this;
        }

        /** Starts the JVM without waiting for anything. */
        public ConnectorJvm start() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Map<String, String> childEnv = builder.environment();
            if (onlyThisEnvironment) {
                String path = childEnv.get("PATH");
                String home = childEnv.get("HOME");
                childEnv.clear();
                childEnv.put("PATH", path == null ? "/usr/bin:/bin" : path);
                if (home != null) {
                    childEnv.put("HOME", home);
                }
            } else {
                for (Setting setting : Setting.values()) {
                    childEnv.remove(setting.environmentVariable());
                }
            }
            childEnv.putAll(env);
            try {
                Files.createDirectories(log.toAbsolutePath().getParent());
                if (workDir != null) {
                    Files.createDirectories(workDir);
                }
                long offset = Files.exists(log) ? Files.size(log) : 0;
                return new ConnectorJvm(name, builder.start(), log, offset);
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + name, e);
            }
        }
    }

    /** Waits until the output of this run contains the line; fails with its end if it exits or the time is up. */
    public ConnectorJvm awaitOutput(String line, Duration timeout) {
        try {
            // Every 10 ms: the benchmark measures start-up times with this.
            await(name + " prints '" + line + "'").atMost(timeout).pollInterval(Duration.ofMillis(10))
                    .failFast(name + " exited", () -> !process.isAlive())
                    .until(() -> outputSinceStart().contains(line));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "; the end of " + log + ":\n" + tail(60), e);
        }
        return this;
    }

    /** Waits for the connector's banner. */
    public ConnectorJvm awaitBanner(Duration timeout) {
        return awaitOutput(BANNER, timeout);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Fails with the end of its output if the process died. */
    public void requireAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail(40));
        }
    }

    /** SIGTERM, the graceful stop an orchestrator sends, without waiting. */
    public void sigterm() {
        process.destroy();
    }

    /** SIGKILL: gone at once, whatever it was doing. */
    public void sigkill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** Waits for the process to end; returns its exit code, or fails if it still runs after the timeout. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(this + " still runs " + timeout + " after it was told to stop:\n" + tail(40));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path log() {
        return log;
    }

    /** Everything this run printed. */
    public String outputSinceStart() {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length <= logOffsetAtStart) {
                return "";
            }
            byte[] bytes = new byte[(int) (length - logOffsetAtStart)];
            file.seek(logOffsetAtStart);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of the whole log file, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Appends a line of the test's own to the log, to help a human reading it. */
    public static void mark(Path log, String line) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Files.writeString(log, System.lineSeparator() + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // Only a help for reading the log.
        }
    }

    /** SIGTERM, then SIGKILL if it has not ended after 20 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
