package io.github.ucconnector.metrics;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.ucconnector.broker.EmbeddedKafkaBroker;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import org.junit.jupiter.api.Test;

/**
 * Readiness on the management port goes DOWN (HTTP 503) while UltraCart rejects the credentials or Kafka is
 * unreachable, and UP again once they work; liveness stays UP throughout: restarting would fix neither. The metrics
 * answer meanwhile, so Prometheus' `up` does not see readiness.
 */
class HealthTransitionsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String READY = "/observe/health/ready";
    private static final String LIVE = "/observe/health/live";
    private static final String METRICS = "/observe/metrics";

    @Test
    void readinessIsDownWhileTheCredentialsAreRejectedAndUpOnceTheyWork() throws Exception {
        String newKey = "key-not-yet-active";
        try (RunningConnector connector = RunningConnector.start(Map.of(
                Setting.ULTRACART_API_KEY.property(), newKey,
                Setting.ULTRACART_AUTH_RETRY_INTERVAL_MS.property(), "500"))) {
            // A command that only reads: the first call after the swap below may meet a pooled connection to the
            // closed server, which a read survives by a retry while a start would fail rather than risk a repeat.
            connector.send(Setting.TOPIC_COMMAND_AGENT_AUTH, null, Commands.agentAuth("h-auth").toJson(), Map.of());

            awaitStatus(connector, READY, 503, "ultracart-credentials");
            assertThat(connector.management(LIVE).statusCode()).isEqualTo(200);
            // Prometheus still scrapes it: readiness DOWN is not "target down" (docs/monitoring/prometheus/alerts.yml).
            assertThat(connector.management(METRICS).statusCode()).isEqualTo(200);

            // UltraCart starts accepting the key: the same address now answers it.
            int port = connector.sandbox().port();
            connector.sandbox().close();
            try (UltraCartSandbox accepting = UltraCartSandbox.start(new SandboxOptions(port, newKey, null))) {
                assertThat(header(connector.outcomeOf("h-auth"), "ce_type"))
                        .isEqualTo("ultracart.conversation.agent.authorized");
                awaitStatus(connector, READY, 200, "UP");
                assertThat(connector.management(LIVE).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void readinessIsDownWhileKafkaIsUnreachableAndLivenessStaysUp() throws Exception {
        Path data = Files.createTempDirectory("health-kafka-");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, data);
        String bootstrap = broker.bootstrapServers();
        try (RunningConnector connector = RunningConnector.start(Map.of(
                Setting.KAFKA_BOOTSTRAP_SERVERS.property(), bootstrap))) {
            awaitStatus(connector, READY, 200, "UP");

            broker.close();
            awaitStatus(connector, READY, 503, "consumer:conversation-commands");
            assertThat(connector.management(LIVE).statusCode()).isEqualTo(200);
            assertThat(connector.management(METRICS).statusCode()).isEqualTo(200);

            broker = EmbeddedKafkaBroker.start(Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1)),
                    data);
            awaitStatus(connector, READY, 200, "UP");
            connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start("h-after-kafka").toJson(), Map.of());
            assertThat(header(connector.outcomeOf("h-after-kafka"), "ce_type"))
                    .isEqualTo("ultracart.conversation.started");
        } finally {
            broker.close();
            deleteRecursively(data);
        }
    }

    private static void awaitStatus(RunningConnector connector, String path, int status, String bodyPart) {
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> response = connector.management(path);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
            assertThat(response.body()).contains(bodyPart);
        });
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
