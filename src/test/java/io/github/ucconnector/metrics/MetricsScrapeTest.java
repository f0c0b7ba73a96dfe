package io.github.ucconnector.metrics;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import org.junit.jupiter.api.Test;

/**
 * After a short run (commands that succeed, are replayed, rejected, refused with a 4xx and failing with 5xx after
 * retries, and a few poll cycles) a Prometheus scrape of the management port shows each of them.
 */
class MetricsScrapeTest {

    private static final String PREFIX = "ultracart_connector_";

    @Test
    void aScrapeShowsCommandsApiCallsRetriesDeadLettersBudgetAndPolling() throws Exception {
        String[] conversation = new String[1];
        try (RunningConnector connector = RunningConnector.start(Map.of(Setting.POLL_ENABLED.property(), "true"),
                sandbox -> conversation[0] = sandbox.openConversation("Ann", "Hello"))) {
            SandboxAdmin sandbox = new SandboxAdmin(connector.sandbox());
            // A poll cycle has run once the conversation's summary is published.
            connector.only("summary", Setting.TOPIC_SUMMARIES, record -> true);

            connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start("m-start").toJson(), Map.of());
            connector.outcomeOf("m-start");
            connector.send(Setting.TOPIC_COMMAND_START, null, Commands.start("m-start").toJson(), Map.of());
            connector.only("outcomes of m-start", Setting.TOPIC_EVENTS,
                    record -> "m-start".equals(header(record, "ce_correlationid")), 2);
            connector.send(Setting.TOPIC_COMMAND_LEAVE, null, Commands.leave("m-invalid", "../x").toJson(),
                    Map.of());
            // A rejected command's id is not read from its value: its dead letter is found by its category.
            connector.only("dead letter of the invalid command", Setting.TOPIC_DLQ,
                    record -> "invalid_command".equals(header(record, DeadLetters.CATEGORY)));
            connector.send(Setting.TOPIC_COMMAND_JOIN, null,
                    Commands.join("m-join-400", "unknown-1").toJson(), Map.of());
            connector.deadLetterOf("m-join-400");
            sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"503\"]}");
            connector.send(Setting.TOPIC_COMMAND_GET, null,
                    Commands.get("m-get-503", conversation[0]).toJson(), Map.of());
            connector.deadLetterOf("m-get-503");
            sandbox.faults("{}");

            String start = "type=\"start\"";
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                PrometheusScrape scrape = scrape(connector);
                assertThat(scrape.value(PREFIX + "commands_total{category=\"none\",outcome=\"succeeded\"," + start + "}"))
                        .isEqualTo(1.0);
                assertThat(scrape.value(PREFIX + "commands_total{category=\"none\",outcome=\"replayed\"," + start + "}"))
                        .isEqualTo(1.0);
                assertThat(scrape.value(PREFIX + "commands_total{category=\"invalid_command\",outcome=\"rejected\",type=\"leave\"}"))
                        .isEqualTo(1.0);
                assertThat(scrape.value(PREFIX + "commands_total{category=\"bad_request\",outcome=\"failed\",type=\"join\"}"))
                        .isEqualTo(1.0);
                assertThat(scrape.value(PREFIX + "commands_total{category=\"server_error\",outcome=\"failed\",type=\"get\"}"))
                        .isEqualTo(1.0);
            });
            PrometheusScrape scrape = scrape(connector);

            assertThat(scrape.value(PREFIX + "dead_letters_total{category=\"invalid_command\",topic=\""
                    + connector.topic(Setting.TOPIC_COMMAND_LEAVE) + "\"}")).isEqualTo(1.0);
            assertThat(scrape.value(PREFIX + "dead_letters_total{category=\"bad_request\",topic=\""
                    + connector.topic(Setting.TOPIC_COMMAND_JOIN) + "\"}")).isEqualTo(1.0);
            assertThat(scrape.value(PREFIX + "dead_letters_total{category=\"server_error\",topic=\""
                    + connector.topic(Setting.TOPIC_COMMAND_GET) + "\"}")).isEqualTo(1.0);
            // ultracart.max-retries: 3 retries after the first call.
            assertThat(scrape.value(PREFIX + "api_retries_total{category=\"server_error\",type=\"get\"}")).isEqualTo(3.0);

            String startCalls = PREFIX + "api_calls_seconds_count{caller=\"command\",operation=\"startConversation\",status=\"200\"}";
            assertThat(scrape.value(startCalls)).as("the replayed start made no call").isEqualTo(1.0);
            assertThat(scrape.value(PREFIX + "api_calls_seconds_count{caller=\"command\",operation=\"joinConversation\",status=\"400\"}"))
                    .isEqualTo(1.0);
            assertThat(scrape.value(PREFIX + "api_calls_seconds_count{caller=\"command\",operation=\"getConversation\",status=\"503\"}"))
                    .isEqualTo(4.0);
            assertThat(scrape.value(PREFIX + "api_calls_seconds_bucket{caller=\"command\",operation=\"startConversation\",status=\"200\",le=\"+Inf\"}"))
                    .as("a latency histogram").isEqualTo(1.0);
            assertThat(scrape.series().keySet()).filteredOn(series -> series.startsWith(PREFIX + "api_calls_seconds_bucket")
                    && series.contains("startConversation")).hasSizeGreaterThan(10);
            assertThat(scrape.value(PREFIX + "api_calls_seconds_count{caller=\"poll\",operation=\"getConversations\",status=\"200\"}"))
                    .isGreaterThanOrEqualTo(1.0);

            assertThat(scrape.value(PREFIX + "poll_cycles_seconds_count{outcome=\"completed\",scan=\"full\"}"))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(scrape.value(PREFIX + "poll_cycle_api_calls_sum{scan=\"full\"}")).isGreaterThanOrEqualTo(1.0);
            assertThat(scrape.value(PREFIX + "poll_active")).isEqualTo(1.0);
            assertThat(scrape.value(PREFIX + "poll_lag_seconds")).isBetween(0.0, 10.0);

            assertThat(scrape.value(PREFIX + "api_budget_remaining{window=\"hour\"}")).isBetween(900.0, 995.0);
            assertThat(scrape.value(PREFIX + "api_budget_remaining{window=\"day\"}")).isBetween(9900.0, 9995.0);
            assertThat(scrape.value(PREFIX + "api_budget_call_slots_available")).isBetween(0.0, 1.0);
            assertThat(scrape.value(PREFIX + "api_budget_commands_waiting")).isNotNull();
            assertThat(scrape.value(PREFIX + "api_budget_pause_seconds")).isEqualTo(0.0);
            // Camel's own route metrics come with the same scrape, for the routes a flow begins with.
            assertThat(String.join("\n", scrape.series().keySet()))
                    .contains("camel_exchanges_total{camelContext=\"ultracart-conversation-connector\",eventType=\"route\",kind=\"CamelRoute\",routeId=\"conversation-commands\"}")
                    .doesNotContain("routeId=\"finish-command\"", "routeId=\"call-ultracart\"");
            assertThat(String.join("\n", scrape.series().keySet())).doesNotContain("m-start", "unknown-1",
                    conversation[0]);
        }
    }

    private static PrometheusScrape scrape(RunningConnector connector) throws Exception {
        HttpResponse<String> response = connector.management("/observe/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/plain"));
        return PrometheusScrape.parse(response.body());
    }
}
