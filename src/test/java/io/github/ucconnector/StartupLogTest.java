package io.github.ucconnector;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.config.StartupRefusedException;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.ConnectorJvm;
import io.github.ucconnector.support.SharedKafka;
import io.github.ucconnector.support.TestTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the jar prints before its banner: at the default level a screen a user can read (what was started, the
 * settings that differ from their defaults, secrets masked); with {@code LOG_STARTUP_DETAILS=true} every setting and
 * Camel's own summaries, for support. And when it refuses to start: one line with the reason and the documented exit
 * code (README: "Exit codes"), no stack trace.
 */
class StartupLogTest {

    /** About one screen: the banner and its kcat example must not scroll away. */
    private static final int MAX_LINES_BEFORE_BANNER = 25;
    private static final List<Setting> PORTS = List.of(Setting.EMBEDDED_KAFKA_PORT, Setting.SANDBOX_PORT,
            Setting.MANAGEMENT_PORT);

    @TempDir
    Path dir;

    @Test
    void withNothingConfiguredTheBannerFollowsAFewLines() throws Exception {
        // Nothing configured but free ports, which other builds on this host may need.
        Map<String, String> env = new HashMap<>();
        PORTS.forEach(port -> env.put(port.environmentVariable(), "0"));

        List<String> start = startUpLines(env);

        assertThat(start).as(String.join("\n", start)).hasSizeLessThanOrEqualTo(MAX_LINES_BEFORE_BANNER)
                .anyMatch(line -> line.contains("Started the embedded Kafka broker on localhost:"))
                .anyMatch(line -> line.contains("Started the UltraCart sandbox on http://localhost:"))
                .anyMatch(line -> line.contains("Routes startup (total:"))
                .anyMatch(line -> line.contains("HttpServer started on"))
                .anyMatch(line -> line.contains("Settings that differ from their defaults (LOG_STARTUP_DETAILS=true"))
                .noneMatch(line -> line.contains("summary") && !line.contains("HTTP Management endpoints summary"))
                .noneMatch(line -> line.contains("    Started "));
        // The ports are the only settings given; a value the launcher put in (the embedded broker's address, the
        // sandbox's URL and key) or left at its default is not listed.
        for (Setting setting : Setting.values()) {
            String listed = "  " + setting.property() + " = ";
            if (PORTS.contains(setting)) {
                assertThat(start).contains(listed + "0");
            } else {
                assertThat(start).noneMatch(line -> line.startsWith(listed));
            }
        }
    }

    @Test
    void aSecretIsMaskedAndTheDetailsListEverySettingAndCamelsSummaries() throws Exception {
        String apiKey = "startup-log-key-" + UUID.randomUUID();
        try (UltraCartSandbox sandbox = UltraCartSandbox.start(new SandboxOptions(0, apiKey, null))) {
            String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
            Map<String, String> env = new HashMap<>();
            env.put(Setting.KAFKA_BOOTSTRAP_SERVERS.environmentVariable(), SharedKafka.bootstrapServers());
            env.put(Setting.KAFKA_GROUP_ID.environmentVariable(), prefix + "connector");
            env.put(Setting.ULTRACART_BASE_URL.environmentVariable(), sandbox.baseUrl());
            env.put(Setting.ULTRACART_API_KEY.environmentVariable(), apiKey);
            env.put(Setting.MANAGEMENT_PORT.environmentVariable(), "0");
            env.put(Setting.POLL_ENABLED.environmentVariable(), "false");
            env.put(Setting.LOG_STARTUP_DETAILS.environmentVariable(), "true");
            TestTopics.prefixed(prefix).forEach((topic, name) -> env.put(topic.environmentVariable(), name));

            List<String> start = startUpLines(env);

            String masked = "  ultracart.api-key = ****** (" + apiKey.length() + " characters)";
            int changed = indexOf(start, "Settings that differ from their defaults:");
            int all = indexOf(start, "Settings in use:");
            assertThat(start.subList(changed, all)).contains(masked, "  log.startup-details = true")
                    .noneMatch(line -> line.startsWith("  kafka.poll-timeout-ms = "));
            List<String> inUse = start.subList(all, start.size());
            for (Setting setting : Setting.values()) {
                assertThat(inUse).anyMatch(line -> line.startsWith("  " + setting.property() + " = "));
            }
            assertThat(inUse).contains(masked, "  kafka.poll-timeout-ms = 1000")
                    .anyMatch(line -> line.endsWith("Auto-configuration summary"))
                    .anyMatch(line -> line.endsWith("Property-placeholders summary"))
                    .anyMatch(line -> line.contains("    Started conversation-commands ("));
            assertThat(String.join("\n", start)).doesNotContain(apiKey);
        }
    }

    @Test
    void aSettingTheKafkaClusterRefusesIsOneMessageAndExitCode2() throws Exception {
        // The shared broker keeps Kafka's default group.min.session.timeout.ms, 6 s.
        String output = refusal(Map.of(Setting.KAFKA_BOOTSTRAP_SERVERS.environmentVariable(),
                SharedKafka.bootstrapServers(), Setting.KAFKA_SESSION_TIMEOUT_MS.environmentVariable(), "3000"),
                StartupRefusedException.SETTINGS);

        assertThat(output).contains("ultracart-conversation-connector: Settings the Kafka cluster refuses: "
                + "KAFKA_SESSION_TIMEOUT_MS = 3000", "set KAFKA_SESSION_TIMEOUT_MS between 6000 and 1800000");
    }

    @Test
    void aMissingCredentialsFileIsOneMessageAndExitCode2() throws Exception {
        Path missing = dir.resolve("no-such-api-key");
        String output = refusal(Map.of(Setting.KAFKA_BOOTSTRAP_SERVERS.environmentVariable(),
                SharedKafka.bootstrapServers(), Setting.ULTRACART_API_KEY_FILE.environmentVariable(), missing.toString()),
                StartupRefusedException.SETTINGS);

        assertThat(output).contains("ultracart-conversation-connector: Invalid connector settings:",
                "ultracart.api-key-file names no readable file: " + missing);
    }

    @Test
    void aPortInUseIsOneMessageAndExitCode3() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            for (Setting port : PORTS) {
                Map<String, String> env = new HashMap<>();
                PORTS.forEach(other -> env.put(other.environmentVariable(), "0"));
                env.put(port.environmentVariable(), Integer.toString(taken.getLocalPort()));

                String output = refusal(env, StartupRefusedException.PORT);

                assertThat(output).as(port.name()).contains("ultracart-conversation-connector: cannot listen on ",
                        ":" + taken.getLocalPort() + " (", "set " + port.environmentVariable() + " to another");
            }
        }
    }

    /**
     * Starts the launcher, which must refuse to start: exit with the code, its reason alone on one line, no stack
     * trace. Returns what it printed.
     */
    private String refusal(Map<String, String> env, int exitCode) throws Exception {
        ConnectorJvm connector = ConnectorJvm.onClassPath("startup-refusal").env(env)
                .log(Files.createTempFile(dir, "refusal", ".log")).start();
        int exit;
        try {
            exit = connector.awaitExit(Duration.ofSeconds(90));
        } finally {
            connector.close();
        }
        String output = connector.outputSinceStart();
        assertThat(exit).as(output).isEqualTo(exitCode);
        assertThat(output.lines().filter(line -> line.startsWith("ultracart-conversation-connector: ")))
                .as(output).hasSize(1);
        assertThat(output).doesNotContain("Exception in thread", "\tat ");
        return output;
    }

    /** Starts the launcher, waits for its banner, stops it; returns the lines it printed before the banner. */
    private List<String> startUpLines(Map<String, String> env) throws Exception {
        Path output = Files.createTempFile(dir, "connector", ".log");
        ConnectorJvm connector = ConnectorJvm.onClassPath("startup-log").env(env).log(output).start();
        try {
            connector.awaitBanner(Duration.ofSeconds(90));
        } finally {
            connector.sigterm();
            connector.awaitExit(Duration.ofSeconds(60));
        }
        List<String> lines = Arrays.asList(connector.outputSinceStart().split("\n"));
        return lines.subList(0, indexOf(lines, ConnectorJvm.BANNER));
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + part + "' in:\n" + String.join("\n", lines));
    }
}
