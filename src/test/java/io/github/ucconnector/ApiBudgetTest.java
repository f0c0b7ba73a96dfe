package io.github.ucconnector;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import org.junit.jupiter.api.Test;

/** Commands and the poller share one budget; the poller gives way and nothing exceeds UltraCart's limits. */
class ApiBudgetTest {

    @Test
    void pollerAndCommandsTogetherStayInsideTheBudgetAndCommandsComeFirst() throws Exception {
        try (RunningConnector connector = RunningConnector.start(Map.of(
                Setting.POLL_ENABLED.property(), "true",
                Setting.POLL_INTERVAL_MS.property(), "20",
                Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR.property(), "100",
                Setting.ULTRACART_BUDGET_POLL_RESERVE.property(), "50",
                Setting.ULTRACART_MAX_RETRIES.property(), "0"),
                // UltraCart's rules, scaled down: 100 calls an hour, and a concurrent call is answered with 429.
                sandbox -> sandbox.faults("{\"requests_per_hour\":100,\"max_concurrent\":1,\"latency_ms\":5}"))) {
            // The commands come once the poller polls (not after a fixed second, which on a loaded machine can end
            // before the poller holds its lease): "the poller ran" below must not depend on the machine's speed.
            await("a first poll").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> connector.sandbox().requests().stream().anyMatch(r -> r.method().equals("GET")));
            List<String> commandIds = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String commandId = "start-" + i + "-" + UUID.randomUUID();
                commandIds.add(commandId);
                connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start(commandId).toJson(), Map.of());
            }
            for (String commandId : commandIds) {
                assertThat(header(connector.outcomeOf(commandId), "ce_type")).isEqualTo("ultracart.conversation.started");
            }
            Thread.sleep(1000);

            List<RecordedRequest> calls = connector.sandbox().requests();
            assertThat(calls).extracting(RecordedRequest::status).doesNotContain(429);
            assertThat(calls).hasSizeLessThanOrEqualTo(100);
            assertThat(calls).filteredOn(r -> r.method().equals("PUT")).hasSize(40);
            assertThat(calls).filteredOn(r -> r.method().equals("GET")).as("the poller ran, within its share")
                    .isNotEmpty().hasSizeLessThanOrEqualTo(50);
        }
    }

    @Test
    void commandsOverTheBudgetWaitOnKafkaAndNoneIsLost() throws Exception {
        Map<String, String> tightBudget = Map.of(Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR.property(), "2",
                Setting.KAFKA_POLL_TIME_LIMIT_MS.property(), "200");
        try (RunningConnector connector = RunningConnector.start(tightBudget)) {
            List<String> commandIds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                commandIds.add("start-" + i + "-" + UUID.randomUUID());
                connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start(commandIds.get(i)).toJson(),
                        Map.of());
            }
            connector.outcomeOf(commandIds.get(0));
            connector.outcomeOf(commandIds.get(1));
            Thread.sleep(1500);
            connector.only("outcome of the command over the budget", Setting.TOPIC_EVENTS,
                    r -> commandIds.get(2).equals(header(r, "ce_correlationid")), 0);
            connector.only("dead letter", Setting.TOPIC_DLQ, r -> true, 0);
            assertThat(connector.sandbox().requests()).hasSize(2);

            connector.restart(Map.of(Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR.property(), "1000"));

            assertThat(header(connector.outcomeOf(commandIds.get(2)), "ce_type"))
                    .isEqualTo("ultracart.conversation.started");
            assertThat(connector.sandbox().requests()).hasSize(3);
        }
    }
}
