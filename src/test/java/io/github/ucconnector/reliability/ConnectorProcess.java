package io.github.ucconnector.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.support.ConnectorJvm;
import io.github.ucconnector.support.TestTopics;

/**
 * The packaged connector jar ({@code java -Xmx256m -jar}, a {@link ConnectorJvm}) as a separate operating-system
 * process, the way it is deployed, pointed at a broker and a sandbox that run in the test JVM. It can be stopped with
 * SIGTERM or SIGKILL and started again with the same settings (same topics, same consumer group).
 */
public final class ConnectorProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int SESSION_TIMEOUT_MS = 6000;

    private final String name;
    private final Path jar;
    private final Path workDir;
    private final Path logFile;
    private final Map<String, String> env;
    private volatile ConnectorJvm jvm;
    private int starts;

    private ConnectorProcess(String name, Path jar, Path workDir, Path logFile, Map<String, String> env) {
        this.name = name;
        this.jar = jar;
        this.workDir = workDir;
        this.logFile = logFile;
        this.env = env;
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "kill-" + name));
    }

    /**
     * Settings for a connector against the given broker and sandbox: every topic setting and the consumer group get
     * a prefix of their own, the API budget is effectively unlimited, polling is off.
     *
     * @param name      used for the log file {@code target/it-logs/<name>.log} and the working directory
     * @param overrides environment variables on top of those defaults
     */
    public static ConnectorProcess configure(String name, String bootstrapServers, String sandboxBaseUrl,
            Map<String, String> overrides) {
        String prefix = name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Setting.KAFKA_BOOTSTRAP_SERVERS.environmentVariable(), bootstrapServers);
        env.put(Setting.KAFKA_GROUP_ID.environmentVariable(), prefix + "connector");
        env.put(Setting.KAFKA_POLL_TIMEOUT_MS.environmentVariable(), "200");
        env.put(Setting.ULTRACART_BASE_URL.environmentVariable(), sandboxBaseUrl);
        env.put(Setting.ULTRACART_API_KEY.environmentVariable(), SandboxOptions.DEFAULT_API_KEY);
        env.put(Setting.ULTRACART_RETRY_DELAY_MS.environmentVariable(), "50");
        env.put(Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR.environmentVariable(), "1000000");
        env.put(Setting.ULTRACART_BUDGET_REQUESTS_PER_DAY.environmentVariable(), "1000000");
        env.put(Setting.POLL_ENABLED.environmentVariable(), "false");
        // Several processes at once, beside other builds: health and metrics on a free port each, never on 8080.
        env.put(Setting.MANAGEMENT_PORT.environmentVariable(), "0");
        // The routes packed in the jar under test, not a routes/ folder someone is editing.
        env.put(Setting.ROUTES_LOCATION.environmentVariable(), "classpath:routes/*.yaml");
        // Every topic setting (including any added later) gets a name of this test's own.
        TestTopics.prefixed(prefix).forEach((topic, topicName) -> env.put(topic.environmentVariable(), topicName));
        env.putAll(overrides);
        Path target = Path.of("target");
        Path workDir = target.resolve("it-work").resolve(name);
        Path logFile = target.resolve("it-logs").resolve(name + ".log");
        try {
            Files.createDirectories(workDir);
            Files.createDirectories(logFile.getParent());
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ConnectorProcess(name, jar(), workDir, logFile, env);
    }

    /** The jar that failsafe names in the system property {@code connector.jar}. */
    static Path jar() {
        String property = System.getProperty("connector.jar", "target/ultracart-conversation-connector.jar");
        Path jar = Path.of(property);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The connector jar " + jar.toAbsolutePath()
                    + " does not exist; run the ITs with `mvn verify` (it is built by the package phase)");
        }
        return jar;
    }

    /** The topic name the connector uses for the given setting. */
    public String topic(Setting setting) {
        String value = env.get(setting.environmentVariable());
        return value != null ? value : setting.defaultValue();
    }

    public String groupId() {
        return env.get(Setting.KAFKA_GROUP_ID.environmentVariable());
    }

    public Path logFile() {
        return logFile;
    }

    /** Starts the jar and waits for its banner; fails with the log's tail if it dies or does not print it in time. */
    public ConnectorProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        ConnectorJvm.mark(logFile, "===== start #" + (++starts) + " of " + name + " =====");
        // After a SIGKILL the dead consumer keeps its partitions until its session times out; 6 s (the broker's
        // minimum) keeps the tests short.
        Map<String, String> processEnv = new LinkedHashMap<>();
        processEnv.put(Setting.KAFKA_SESSION_TIMEOUT_MS.environmentVariable(), Integer.toString(SESSION_TIMEOUT_MS));
        processEnv.putAll(env);
        jvm = ConnectorJvm.packagedJar(name, jar).jvmOptions(List.of("-Xmx256m")).workDir(workDir).log(logFile)
                .env(processEnv).start();
        jvm.awaitBanner(START_TIMEOUT);
        return this;
    }

    /** SIGTERM: the graceful stop an orchestrator sends. */
    public void sigterm() {
        ConnectorJvm.mark(logFile, "===== test sends SIGTERM =====");
        jvm.sigterm();
    }

    /** SIGKILL: the process is gone at once, whatever it was doing. */
    public void sigkill() {
        ConnectorJvm.mark(logFile, "===== test sends SIGKILL =====");
        jvm.sigkill();
    }

    /** Waits for the process to end; returns its exit code, or fails if it is still running after the timeout. */
    public int awaitExit(Duration timeout) {
        return jvm.awaitExit(timeout);
    }

    public boolean isAlive() {
        return jvm != null && jvm.isAlive();
    }

    public long pid() {
        return jvm.pid();
    }

    /** Everything the current (or last) run printed. */
    public String logSinceStart() {
        return jvm == null ? "" : jvm.outputSinceStart();
    }

    /** The last lines of the whole log file, for failure messages. */
    public String tail(int lines) {
        return jvm == null ? "(not started)" : jvm.tail(lines);
    }

    @Override
    public void close() {
        if (isAlive()) {
            jvm.sigkill();
        }
    }
}
