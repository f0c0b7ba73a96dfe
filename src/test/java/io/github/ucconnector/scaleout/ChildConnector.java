package io.github.ucconnector.scaleout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.ucconnector.Launcher;
import io.github.ucconnector.config.Setting;

/**
 * The connector in a JVM of its own ({@link Launcher}, the jar's entry point, on the test class path), so that it
 * can be killed with SIGKILL the way a crashed host or an OOM kill ends it: no shutdown hook, no leaving the group.
 * Its output goes to {@code target/scaleout-logs/<name>.log}.
 */
final class ChildConnector implements AutoCloseable {

    /** What the launcher prints once Camel runs. */
    private static final String BANNER = "UltraCart Conversation connector is running";

    private final String name;
    private final Path log;
    private final Process process;

    private ChildConnector(String name, Path log, Process process) {
        this.name = name;
        this.log = log;
        this.process = process;
    }

    /** Starts the JVM with the given settings (by environment variable) and nothing else from this JVM's. */
    static ChildConnector launch(String name, Map<String, String> environment) {
        Path log = Path.of("target", "scaleout-logs", name + ".log");
        try {
            Files.createDirectories(log.getParent());
            Files.deleteIfExists(log);
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    Launcher.class.getName())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            for (Setting setting : Setting.values()) {
                builder.environment().remove(setting.environmentVariable());
            }
            builder.environment().putAll(environment);
            return new ChildConnector(name, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isRunning() {
        return process.isAlive() && output().contains(BANNER);
    }

    /** Fails with the end of its output if the process died. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
        }
    }

    /** SIGKILL: gone at once, whatever it was doing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
