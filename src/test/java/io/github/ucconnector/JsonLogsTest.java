package io.github.ucconnector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.ConnectorJvm;
import io.github.ucconnector.support.SharedKafka;
import io.github.ucconnector.support.TestTopics;
import io.github.ucconnector.support.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector as the jar starts it ({@link Launcher}, in a JVM of its own) with {@code LOG_FORMAT=json}: every
 * line it writes is a JSON object, a failed command's line carries its id, type, status and category as fields,
 * and the API key (read from a file) appears nowhere.
 */
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "json-logs-key-" + UUID.randomUUID();

    @TempDir
    Path dir;

    @Test
    void everyLineIsJsonAndAFailedCommandHasItsFields() throws Exception {
        Path keyFile = Files.writeString(dir.resolve("api-key"), API_KEY + "\n");
        Path output = dir.resolve("connector.log");
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";
        String joinTopic = prefix + Setting.TOPIC_COMMAND_JOIN.defaultValue();
        String eventsTopic = prefix + Setting.TOPIC_EVENTS.defaultValue();
        String commandId = "json-join-" + UUID.randomUUID();
        String category;
        try (UltraCartSandbox sandbox = UltraCartSandbox.start(new SandboxOptions(0, API_KEY, null));
                TopicProbe kafka = new TopicProbe(SharedKafka.bootstrapServers())) {
            Map<String, String> env = new HashMap<>();
            env.put(Setting.LOG_FORMAT.environmentVariable(), "json");
            env.put(Setting.KAFKA_BOOTSTRAP_SERVERS.environmentVariable(), SharedKafka.bootstrapServers());
            env.put(Setting.KAFKA_GROUP_ID.environmentVariable(), prefix + "connector");
            env.put(Setting.KAFKA_POLL_TIMEOUT_MS.environmentVariable(), "200");
            env.put(Setting.ULTRACART_BASE_URL.environmentVariable(), sandbox.baseUrl());
            env.put(Setting.ULTRACART_API_KEY_FILE.environmentVariable(), keyFile.toString());
            env.put(Setting.POLL_ENABLED.environmentVariable(), "false");
            env.put(Setting.ROUTES_LOCATION.environmentVariable(), "file:routes/*.yaml");
            TestTopics.prefixed(prefix).forEach((topic, name) -> env.put(topic.environmentVariable(), name));
            ConnectorJvm connector = ConnectorJvm.onClassPath("json-logs").env(env).log(output).start();
            try {
                connector.awaitBanner(Duration.ofSeconds(60));
                // A join of a conversation UltraCart does not know: HTTP 400, final at once.
                kafka.send(joinTopic, "no-such-conversation",
                        Commands.join(commandId, "no-such-conversation").toJson(), Map.of());
                List<ConsumerRecord<byte[], byte[]>> failed = kafka.await(eventsTopic,
                        r -> commandId.equals(TopicProbe.header(r, "ce_correlationid")), 1, Duration.ofSeconds(30));
                assertThat(failed).hasSize(1);
                category = JSON.readTree(failed.get(0).value()).path("category").asText();
                await("the failed-command line").atMost(Duration.ofSeconds(10))
                        .until(() -> connector.outputSinceStart().contains("failed after"));
            } finally {
                connector.sigterm();
                connector.awaitExit(Duration.ofSeconds(60));
            }

            List<JsonNode> lines = new ArrayList<>();
            for (String line : connector.outputSinceStart().split("\n")) {
                lines.add(JSON.readTree(line));
            }
            assertThat(lines).hasSizeGreaterThan(5)
                    .allSatisfy(line -> assertThat(line.isObject()).isTrue())
                    .allSatisfy(line -> assertThat(line.has("timestamp") && line.has("level") && line.has("message"))
                            .as(line.toString()).isTrue());
            JsonNode failedLine = lines.stream().filter(line -> line.path("message").asText().contains("failed after"))
                    .findFirst().orElseThrow();
            assertThat(failedLine.path("level").asText()).isEqualTo("WARN");
            assertThat(failedLine.path("logger").asText()).isEqualTo("command-failed");
            assertThat(failedLine.path("command_id").asText()).isEqualTo(commandId);
            assertThat(failedLine.path("command_type").asText()).isEqualTo("join");
            assertThat(failedLine.path("status").asText()).isEqualTo("400");
            assertThat(failedLine.path("category").asText()).isNotEmpty().isEqualTo(category);
            assertThat(failedLine.path("attempts").asText()).isEqualTo("1");
            // The context is set for that line only.
            assertThat(lines).filteredOn(line -> line.has("command_id")).containsExactly(failedLine);
            assertThat(lines).anyMatch(line -> line.path("message").asText()
                    .contains("ultracart.api-key-file = " + keyFile));
            assertThat(connector.outputSinceStart()).doesNotContain(API_KEY);
        }
    }
}
