package io.github.ucconnector;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import org.junit.jupiter.api.Test;

/** However many commands one poll brings, the consumer never spends longer on it than Kafka allows. */
class LongPollHandsCommandsBackTest {

    @Test
    void aPollThatWouldOutlastKafkasPollIntervalHandsItsLastCommandsBackAndNoneRunsTwice() throws Exception {
        // 20 commands of 200 ms each would keep one poll busy for 4 s, far over the 1.5 s Kafka allows: the consumer
        // would leave its group and its commands would come again. After 0.5 s the rest go back to Kafka instead.
        try (RunningConnector connector = RunningConnector.start(Map.of(
                Setting.KAFKA_MAX_POLL_INTERVAL_MS.property(), "1500",
                Setting.KAFKA_POLL_TIME_LIMIT_MS.property(), "500"),
                sandbox -> sandbox.faults("{\"latency_ms\":200}"))) {
            List<String> commandIds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                commandIds.add("start-" + i + "-" + UUID.randomUUID());
                connector.send(Setting.TOPIC_COMMAND_START, "one-partition",
                        Commands.start(commandIds.get(i)).toJson(), Map.of());
            }

            List<String> outcomes = new ArrayList<>();
            for (String commandId : commandIds) {
                assertThat(header(connector.outcomeOf(commandId), "ce_type"))
                        .as("outcome of %s", commandId).isEqualTo("ultracart.conversation.started");
            }
            connector.only("outcomes", Setting.TOPIC_EVENTS, r -> true, 20)
                    .forEach(r -> outcomes.add(header(r, "ce_correlationid")));
            assertThat(outcomes).as("one outcome each, in the order of the commands").isEqualTo(commandIds);
            connector.only("dead letter", Setting.TOPIC_DLQ, r -> true, 0);
            assertThat(connector.sandbox().requests()).as("each start called UltraCart once")
                    .extracting(RecordedRequest::method).containsOnly("PUT").hasSize(20);
        }
    }

    @Test
    void aCommandUnderWayWhenTheTimeIsUpEndsItsRetriesAndFails() throws Exception {
        // Its retries take 1.4 s, far over the 0.3 s limit: it must not go back to Kafka to begin them all again.
        try (RunningConnector connector = RunningConnector.start(Map.of(
                Setting.KAFKA_POLL_TIME_LIMIT_MS.property(), "300",
                Setting.ULTRACART_MAX_RETRIES.property(), "3",
                Setting.ULTRACART_RETRY_DELAY_MS.property(), "200"),
                sandbox -> sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"503\"]}"))) {
            String commandId = "start-" + UUID.randomUUID();
            connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start(commandId).toJson(), Map.of());

            assertThat(header(connector.outcomeOf(commandId), "ce_type")).isEqualTo("ultracart.conversation.command.failed");
            assertThat(header(connector.deadLetterOf(commandId), DeadLetters.ATTEMPTS)).isEqualTo("4");
            assertThat(connector.sandbox().requests()).hasSize(4);
        }
    }
}
