package io.github.ucconnector;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A command id is sent to UltraCart once: redeliveries and re-sent commands get the same outcome again. */
class CommandLedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String START_PATH = "/rest/v2/conversation/conversations";

    @Test
    void reSentStartJoinAndLeaveCallTheApiOnceAndRepeatTheSameOutcomeEvenAfterARestart() throws Exception {
        try (RunningConnector connector = RunningConnector.start(Map.of())) {
            String startId = "start-" + UUID.randomUUID();
            String start = Commands.start(startId).toJson();
            connector.send(Setting.TOPIC_COMMAND_START, null, start, Map.of());
            String uuid = header(connector.outcomeOf(startId), "ce_subject");
            String joinId = "join-" + UUID.randomUUID();
            String join = Commands.join(joinId, uuid).toJson();
            connector.send(Setting.TOPIC_COMMAND_JOIN, uuid, join, Map.of());
            connector.outcomeOf(joinId);

            connector.send(Setting.TOPIC_COMMAND_START, null, start, Map.of());
            connector.send(Setting.TOPIC_COMMAND_JOIN, uuid, join, Map.of());
            List<ConsumerRecord<byte[], byte[]>> starts = outcomes(connector, startId, 2);
            List<ConsumerRecord<byte[], byte[]>> joins = outcomes(connector, joinId, 2);
            connector.restart();
            connector.send(Setting.TOPIC_COMMAND_START, null, start, Map.of());
            starts = outcomes(connector, startId, 3);

            assertThat(starts).extracting(r -> header(r, "ce_id")).containsOnly(header(starts.get(0), "ce_id"));
            assertThat(starts).extracting(r -> header(r, "ce_type")).containsOnly("ultracart.conversation.started");
            assertThat(starts).extracting(r -> new String(r.value())).containsOnly(new String(starts.get(0).value()));
            assertThat(joins).extracting(r -> header(r, "ce_id")).containsOnly(header(joins.get(0), "ce_id"));
            assertThat(calls(connector, "PUT", START_PATH)).isEqualTo(1);
            assertThat(calls(connector, "PUT", START_PATH + "/" + uuid + "/join")).isEqualTo(1);
        }
    }

    @Test
    void startThatTimedOutIsNeitherRetriedNorSentAgainButReportedAsUnknownOutcome() throws Exception {
        try (RunningConnector connector = RunningConnector.start(Map.of(
                Setting.ULTRACART_RESPONSE_TIMEOUT_MS.property(), "300"))) {
            SandboxAdmin sandbox = new SandboxAdmin(connector.sandbox());
            sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"timeout\"],\"timeout_ms\":1000}");
            String startId = "start-" + UUID.randomUUID();
            String start = Commands.start(startId).toJson();
            connector.send(Setting.TOPIC_COMMAND_START, null, start, Map.of());
            ConsumerRecord<byte[], byte[]> timedOut = connector.outcomeOf(startId);
            assertThat(JSON.readTree(timedOut.value()).path("category").asText()).isEqualTo("timeout");
            assertThat(JSON.readTree(timedOut.value()).path("attempts").asInt()).isEqualTo(1);

            sandbox.faults("{}");
            connector.send(Setting.TOPIC_COMMAND_START, null, start, Map.of());
            List<ConsumerRecord<byte[], byte[]>> outcomes = outcomes(connector, startId, 2);

            assertThat(JSON.readTree(outcomes.get(1).value()).path("category").asText()).isEqualTo("unknown_outcome");
            assertThat(calls(connector, "PUT", START_PATH)).isEqualTo(1);
            connector.only("dead letter", Setting.TOPIC_DLQ, r -> startId.equals(header(r, DeadLetters.COMMAND_ID)), 2);
        }
    }

    @Test
    void startRejectedBeforeItReachedUltraCartCanBeSentAgain() throws Exception {
        try (RunningConnector connector = RunningConnector.start(Map.of(Setting.ULTRACART_MAX_RETRIES.property(), "0"))) {
            SandboxAdmin sandbox = new SandboxAdmin(connector.sandbox());
            sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"503\"]}");
            String startId = "start-" + UUID.randomUUID();
            String start = Commands.start(startId).toJson();
            connector.send(Setting.TOPIC_COMMAND_START, null, start, Map.of());
            assertThat(JSON.readTree(connector.outcomeOf(startId).value()).path("category").asText())
                    .isEqualTo("server_error");

            sandbox.faults("{}");
            connector.send(Setting.TOPIC_COMMAND_START, null, start, Map.of());

            assertThat(outcomes(connector, startId, 2)).extracting(r -> header(r, "ce_type"))
                    .containsExactly("ultracart.conversation.command.failed", "ultracart.conversation.started");
            assertThat(calls(connector, "PUT", START_PATH)).isEqualTo(2);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> outcomes(RunningConnector connector, String commandId, int count) {
        return connector.only("outcome event", Setting.TOPIC_EVENTS,
                r -> commandId.equals(header(r, "ce_correlationid")), count);
    }

    private static long calls(RunningConnector connector, String method, String path) {
        return connector.sandbox().requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path) && r.status() != 0)
                .map(RecordedRequest::path).count();
    }
}
