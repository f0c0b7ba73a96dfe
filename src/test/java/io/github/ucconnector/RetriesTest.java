package io.github.ucconnector;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Only failures that can succeed later are retried, a bounded number of times, and then dead-lettered. */
class RetriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RunningConnector connector;

    @BeforeAll
    static void startConnector() throws Exception {
        connector = RunningConnector.start(Map.of(Setting.ULTRACART_MAX_RETRIES.property(), "2",
                Setting.ULTRACART_RESPONSE_TIMEOUT_MS.property(), "500"));
    }

    @AfterAll
    static void stopConnector() {
        connector.close();
    }

    @AfterEach
    void noMoreFaults() throws Exception {
        setFaults("{}");
        // A call that UltraCart answers shows the connector that no call it gave up on is still running there, so a
        // timed-out call of one test cannot explain a 429 of the next (README: the API budget).
        String commandId = "answered-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_GET, null, Commands.get(commandId, "any-conversation").toJson(), Map.of());
        connector.outcomeOf(commandId);
    }

    @Test
    void serverErrorsAreRetriedThenTheCommandFailsWithItsAttempts() throws Exception {
        setFaults("{\"fault_share\":1.0,\"fault_kinds\":[\"503\"]}");

        ConsumerRecord<byte[], byte[]> failed = startAndAwaitOutcome("start-503-" + UUID.randomUUID());

        JsonNode data = JSON.readTree(failed.value());
        assertThat(data.path("category").asText()).isEqualTo("server_error");
        assertThat(data.path("http_status").asInt()).isEqualTo(503);
        assertThat(data.path("attempts").asInt()).isEqualTo(3);
        assertThat(startCalls()).isEqualTo(3);
        ConsumerRecord<byte[], byte[]> deadLetter = connector.deadLetterOf(header(failed, "ce_correlationid"));
        assertThat(header(deadLetter, DeadLetters.ATTEMPTS)).isEqualTo("3");
    }

    @Test
    void rateLimitAnswersAreRetried() throws Exception {
        setFaults("{\"fault_share\":1.0,\"fault_kinds\":[\"429\"]}");

        JsonNode data = JSON.readTree(startAndAwaitOutcome("start-429-" + UUID.randomUUID()).value());

        assertThat(data.path("category").asText()).isEqualTo("rate_limited");
        assertThat(startCalls()).isEqualTo(3);
    }

    @Test
    void timeoutsAreRetriedForCommandsThatAreSafeToRepeat() throws Exception {
        setFaults("{\"fault_share\":1.0,\"fault_kinds\":[\"timeout\"],\"timeout_ms\":1500}");
        connector.sandbox().clearRequests();
        String commandId = "leave-timeout-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_LEAVE, null,
                Commands.leave(commandId, "any-conversation").toJson(), Map.of());

        JsonNode data = JSON.readTree(connector.outcomeOf(commandId).value());

        assertThat(data.path("category").asText()).isEqualTo("timeout");
        assertThat(data.path("attempts").asInt()).isEqualTo(3);
        assertThat(connector.sandbox().requests()).hasSize(3);
    }

    @Test
    void aStartThatTimedOutIsNotRetriedBecauseItMayHaveStartedAConversation() throws Exception {
        setFaults("{\"fault_share\":1.0,\"fault_kinds\":[\"timeout\"],\"timeout_ms\":1500}");

        JsonNode data = JSON.readTree(startAndAwaitOutcome("start-timeout-" + UUID.randomUUID()).value());

        assertThat(data.path("category").asText()).isEqualTo("timeout");
        assertThat(data.path("attempts").asInt()).isEqualTo(1);
        assertThat(startCalls()).isEqualTo(1);
    }

    @Test
    void rejectedCredentialsPauseCallsAndKeepCommandsOnKafkaUntilTheCredentialsWork() throws Exception {
        Map<String, String> wrongKey = Map.of(Setting.ULTRACART_API_KEY.property(), "wrong-key",
                Setting.ULTRACART_AUTH_RETRY_INTERVAL_MS.property(), "1000");
        try (RunningConnector connector = RunningConnector.start(wrongKey)) {
            List<String> commandIds = List.of("start-401-a-" + UUID.randomUUID(), "start-401-b-" + UUID.randomUUID());
            long sent = System.nanoTime();
            for (String commandId : commandIds) {
                connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start(commandId).toJson(), Map.of());
            }
            // The gate tries a call again after a second. When the first call comes depends on how soon the consumer
            // has its partitions, so the wait is for the calls, and the bound counts from the send: calls a second
            // apart at most, a storm would be hundreds.
            await("the call tried again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> connector.sandbox().requests().size() >= 2);
            Thread.sleep(2000);
            long seconds = Duration.ofNanos(System.nanoTime() - sent).toSeconds();

            assertThat(connector.sandbox().requests()).as("one call a second at most, not a storm")
                    .hasSizeLessThanOrEqualTo((int) seconds + 1).extracting(RecordedRequest::status).containsOnly(401);
            connector.only("outcome while the key is wrong", Setting.TOPIC_EVENTS, r -> true, 0);
            connector.only("dead letter while the key is wrong", Setting.TOPIC_DLQ, r -> true, 0);
            assertThat(connector.readiness()).containsEntry("ultracart-credentials", "DOWN");

            connector.restart(Map.of(Setting.ULTRACART_API_KEY.property(), SandboxOptions.DEFAULT_API_KEY));
            for (String commandId : commandIds) {
                assertThat(header(connector.outcomeOf(commandId), "ce_type")).isEqualTo("ultracart.conversation.started");
            }
            assertThat(connector.readiness()).doesNotContainValue("DOWN");
        }
    }

    private ConsumerRecord<byte[], byte[]> startAndAwaitOutcome(String commandId) {
        connector.sandbox().clearRequests();
        connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start(commandId).toJson(), Map.of());
        ConsumerRecord<byte[], byte[]> event = connector.outcomeOf(commandId);
        assertThat(header(event, "ce_type")).isEqualTo("ultracart.conversation.command.failed");
        return event;
    }

    private long startCalls() {
        return connector.sandbox().requests().stream().map(RecordedRequest::method).filter("PUT"::equals).count();
    }

    private static void setFaults(String json) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + connector.sandbox().port() + "/sandbox/faults"))
                .PUT(HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
