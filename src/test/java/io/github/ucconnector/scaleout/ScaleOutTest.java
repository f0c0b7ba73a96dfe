package io.github.ucconnector.scaleout;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.polling.ActivePoller;
import io.github.ucconnector.polling.ChangeEvents;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Three instances of one deployment, each with its own Camel context and Kafka clients, against the real broker
 * and one sandbox: they split the commands, exactly one of them polls, and the API budget is divided between them.
 * Each instance has its own {@code ce_source}, so the events tell which instance handled what.
 */
class ScaleOutTest {

    private static final Duration FAILOVER = Duration.ofSeconds(12);
    private static final Set<String> CHANGE_TYPES = Set.of(ChangeEvents.CREATED, ChangeEvents.MESSAGE_RECEIVED,
            ChangeEvents.CLOSED, ChangeEvents.PARTICIPANT_JOINED, ChangeEvents.PARTICIPANT_LEFT, ChangeEvents.UPDATED);
    private static final String START_PATH = "/rest/v2/conversation/conversations";

    @Test
    void threeInstancesSplitTheCommandsPollOnceAndHandOverWhenTheActivePollerStops() throws Exception {
        List<String> opened = new ArrayList<>();
        try (RunningConnector a = RunningConnector.start(instance("a", Map.of()), sandbox -> {
                for (int i = 0; i < 3; i++) {
                    opened.add(sandbox.openConversation("Customer " + i, "Hello " + i));
                }
                // Commands take a little while, so some are in flight when an instance stops.
                sandbox.faults("{\"latency_ms\":40}");
            });
                RunningConnector b = RunningConnector.alongside(a, Map.of(Setting.EVENT_SOURCE.property(), "/connector-b"));
                RunningConnector c = RunningConnector.alongside(a, Map.of(Setting.EVENT_SOURCE.property(), "/connector-c"))) {
            List<RunningConnector> all = List.of(a, b, c);
            RunningConnector leader = awaitOneActivePoller(all);
            awaitCommandPartitionsSpread(a, 3);
            String leaderSource = leader.setting(Setting.EVENT_SOURCE);
            await("a created event per opened conversation").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> changeEvents(a).stream().filter(r -> ChangeEvents.CREATED.equals(header(r, "ce_type")))
                            .count() == 3);
            assertThat(changeEvents(a)).extracting(r -> header(r, "ce_source")).containsOnly(leaderSource);

            // 30 starts keyed like conversations, and 4 gets per opened conversation keyed by its uuid, in order.
            Map<String, String> commandTopics = new LinkedHashMap<>();
            for (int i = 0; i < 30; i++) {
                String id = "start-" + i + "-" + UUID.randomUUID();
                commandTopics.put(id, "start");
                a.send(Setting.TOPIC_COMMAND_START, UUID.randomUUID().toString(),
                        Commands.start(id).toJson(), Map.of());
            }
            for (int n = 1; n <= 4; n++) {
                for (String uuid : opened) {
                    String id = "get-" + uuid + "-" + n;
                    commandTopics.put(id, "get");
                    a.send(Setting.TOPIC_COMMAND_GET, uuid, Commands.get(id, uuid).withLimit(5).toJson(), Map.of());
                }
            }
            // Every instance is working before the active poller is stopped, commands still in flight.
            await("outcomes from every instance").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> outcomes(a).stream().map(r -> header(r, "ce_source")).collect(Collectors.toSet())
                            .size() == 3);

            long stopping = System.nanoTime();
            leader.stop();
            new SandboxAdmin(a.sandbox()).addCustomerMessage(opened.get(0), "Anyone there?");
            List<RunningConnector> rest = new ArrayList<>(all);
            rest.remove(leader);
            RunningConnector successor = awaitOneActivePoller(rest);
            await("the new message published by the successor").atMost(FAILOVER).pollInterval(Duration.ofMillis(200))
                    .until(() -> changeEvents(a).stream().anyMatch(r -> opened.get(0).equals(header(r, "ce_subject"))
                            && ChangeEvents.MESSAGE_RECEIVED.equals(header(r, "ce_type"))));
            Duration handOver = Duration.ofNanos(System.nanoTime() - stopping);
            System.out.println("Hand-over after a graceful stop: " + handOver.toMillis() + " ms");
            assertThat(handOver).isLessThan(FAILOVER);

            await("an outcome for every command").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                    .until(() -> byCommand(outcomes(a)).keySet().containsAll(commandTopics.keySet()));
            Thread.sleep(1500);
            List<ConsumerRecord<byte[], byte[]>> outcomes = outcomes(a);
            Map<String, List<ConsumerRecord<byte[], byte[]>>> byCommand = byCommand(outcomes);

            // Spread over the three instances; each command handled once (a redelivery repeats the same outcome).
            assertThat(outcomes).extracting(r -> header(r, "ce_source"))
                    .contains("/connector-a", "/connector-b", "/connector-c");
            assertThat(byCommand).hasSize(commandTopics.size());
            byCommand.forEach((id, records) -> {
                assertThat(records).extracting(r -> header(r, "ce_id")).as(id).containsOnly(header(records.get(0), "ce_id"));
                assertThat(records).extracting(r -> header(r, "ce_type")).as(id)
                        .doesNotContain("ultracart.conversation.command.failed");
            });
            long starts = a.sandbox().requests().stream()
                    .filter(r -> r.method().equals("PUT") && r.path().equals(START_PATH)).count();
            assertThat(starts).as("each start reached UltraCart once").isEqualTo(30);
            // Per conversation, its gets were handled in the order they were sent.
            for (String uuid : opened) {
                List<String> order = outcomes.stream().filter(r -> uuid.equals(header(r, "ce_subject")))
                        .map(r -> header(r, "ce_correlationid")).distinct().toList();
                assertThat(order).containsExactly("get-" + uuid + "-1", "get-" + uuid + "-2", "get-" + uuid + "-3",
                        "get-" + uuid + "-4");
            }

            // One poller at a time: the first published everything until it stopped, its successor took over from
            // the summaries topic, and no change was published twice.
            String successorSource = successor.setting(Setting.EVENT_SOURCE);
            List<ConsumerRecord<byte[], byte[]>> changes = changeEvents(a);
            assertThat(changes).extracting(r -> header(r, "ce_source")).containsOnly(leaderSource, successorSource);
            assertThat(changes).extracting(r -> header(r, "ce_id")).doesNotHaveDuplicates();
            Map<String, Long> created = changes.stream().filter(r -> ChangeEvents.CREATED.equals(header(r, "ce_type")))
                    .collect(Collectors.groupingBy(r -> header(r, "ce_subject"), Collectors.counting()));
            assertThat(created).containsKeys(opened.toArray(String[]::new)).allSatisfy((uuid, count) -> assertThat(count).isOne());
            assertThat(changes.stream().filter(r -> opened.get(0).equals(header(r, "ce_subject"))
                    && ChangeEvents.MESSAGE_RECEIVED.equals(header(r, "ce_type")))).hasSize(1);
            List<ConsumerRecord<byte[], byte[]>> summaries = a.kafka().readAll(a.topic(Setting.TOPIC_SUMMARIES));
            assertThat(summaries).extracting(r -> new String(r.key()) + "=" + new String(r.value())).doesNotHaveDuplicates();
            assertThat(rest).filteredOn(ScaleOutTest::isActivePoller).containsExactly(successor);
        }
    }

    @Test
    void threeInstancesTogetherStayInsideTheAccountBudget() throws Exception {
        // UltraCart's rules, scaled down: 60 calls an hour for the account. Each instance may spend 20.
        Map<String, String> budget = Map.of(
                Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR.property(), "60",
                Setting.ULTRACART_BUDGET_INSTANCES.property(), "3",
                Setting.ULTRACART_BUDGET_POLL_RESERVE.property(), "5",
                Setting.KAFKA_POLL_TIME_LIMIT_MS.property(), "200",
                Setting.ULTRACART_MAX_RETRIES.property(), "0",
                Setting.POLL_INTERVAL_MS.property(), "500");
        try (RunningConnector a = RunningConnector.start(instance("a", budget),
                sandbox -> sandbox.faults("{\"requests_per_hour\":60,\"latency_ms\":5}"));
                RunningConnector b = RunningConnector.alongside(a, Map.of(Setting.EVENT_SOURCE.property(), "/connector-b"));
                RunningConnector c = RunningConnector.alongside(a, Map.of(Setting.EVENT_SOURCE.property(), "/connector-c"))) {
            RunningConnector leader = awaitOneActivePoller(List.of(a, b, c));
            awaitCommandPartitionsSpread(a, 3);
            // Polling draws from the active poller's share too (when no command waits for it).
            await("a first poll").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> a.sandbox().requests().stream().anyMatch(r -> r.method().equals("GET")));
            for (int i = 0; i < 90; i++) {
                a.send(Setting.TOPIC_COMMAND_START, UUID.randomUUID().toString(),
                        Commands.start("start-" + i + "-" + UUID.randomUUID()).toJson(), Map.of());
            }
            // Until every instance has spent its share (its budget has no request left this hour, and gets the next
            // one in 3 minutes) and each call has its outcome. Nothing can move after that, so no quiet spell needs to
            // be waited out. Each hand-back rebalances the command group, and with a 200 ms poll time limit there are
            // hundreds: at a load average of 25 on 2 cores, spending the shares took 25 s, hence the margin.
            List<RunningConnector> all = List.of(a, b, c);
            await("every instance to spend its share").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> all.stream().allMatch(i -> meters(i).get("ultracart.connector.api.budget.remaining")
                            .tag("window", "hour").gauge().value() == 0)
                            && a.sandbox().requests().stream().noneMatch(r -> r.status() == 0)
                            && firstOutcomes(a).size() == a.sandbox().requests().stream()
                                    .filter(r -> r.method().equals("PUT")).count());

            List<RecordedRequest> calls = a.sandbox().requests();
            assertThat(calls).as("all instances together, polling included").hasSizeLessThanOrEqualTo(60);
            assertThat(calls).extracting(RecordedRequest::status).doesNotContain(429);
            // Every command that had its turn started its conversation. A start that fails as unknown_outcome has an
            // outcome but made no call; counted as a call, it once showed up as "21 calls" of an instance.
            List<ConsumerRecord<byte[], byte[]>> firstOutcomes = firstOutcomes(a);
            assertThat(firstOutcomes).as("no command failed").allSatisfy(r -> assertThat(header(r, "ce_type"))
                    .as("%s: %s", header(r, "ce_correlationid"), new String(r.value()))
                    .isEqualTo("ultracart.conversation.started"));
            // One outcome per command: a command redelivered after a hand-over gets its outcome again (same ce_id,
            // same ce_source), without a call. Each command's first outcome names the instance that made the call.
            Map<String, Long> startedBy = firstOutcomes.stream()
                    .collect(Collectors.groupingBy(r -> header(r, "ce_source"), Collectors.counting()));
            long polls = calls.stream().filter(r -> r.method().equals("GET")).count();
            assertThat(polls).as("the active poller polled").isPositive();
            assertThat(all).extracting(i -> i.setting(Setting.EVENT_SOURCE)).containsAll(startedBy.keySet());
            Map<String, Long> callsBy = new HashMap<>();
            Map<String, Long> metered = new HashMap<>();
            for (RunningConnector instance : all) {
                String source = instance.setting(Setting.EVENT_SOURCE);
                callsBy.put(source, startedBy.getOrDefault(source, 0L) + (instance == leader ? polls : 0));
                // Each instance's own count of its calls tells the same: the attribution above is right.
                metered.put(source, meters(instance).get("ultracart.connector.api.calls").timers().stream()
                        .mapToLong(Timer::count).sum());
            }
            assertThat(callsBy).as("calls by instance, from the outcomes and the sandbox").isEqualTo(metered)
                    .allSatisfy((source, count) -> assertThat(count).as("calls of %s", source).isLessThanOrEqualTo(20));
            assertThat(firstOutcomes).as("every call has its outcome")
                    .hasSize((int) calls.stream().filter(r -> r.method().equals("PUT")).count());
            a.only("dead letter", Setting.TOPIC_DLQ, r -> true, 0);
        }
    }

    /** Settings of one instance: polling on, a short failover, six partitions per topic to spread. */
    private static Map<String, String> instance(String name, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>();
        values.put(Setting.POLL_ENABLED.property(), "true");
        values.put(Setting.POLL_FAILOVER_TIMEOUT_MS.property(), Long.toString(FAILOVER.toMillis()));
        values.put(Setting.TOPIC_PARTITIONS.property(), "6");
        values.put(Setting.EVENT_SOURCE.property(), "/connector-" + name);
        values.put(Setting.ULTRACART_BUDGET_INSTANCES.property(), "3");
        values.putAll(extra);
        return values;
    }

    /** Until the command consumers' group has settled with every instance owning partitions. */
    private static void awaitCommandPartitionsSpread(RunningConnector connector, int instances) throws Exception {
        String group = connector.setting(Setting.KAFKA_GROUP_ID);
        Admin admin = connector.kafka().admin();
        await("command partitions spread over " + instances + " instances").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group))
                            .describedGroups().get(group).get(5, TimeUnit.SECONDS);
                    return described.state() == ConsumerGroupState.STABLE
                            && described.members().size() == instances && described.members().stream()
                                    .allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                });
    }

    private static RunningConnector awaitOneActivePoller(List<RunningConnector> instances) {
        await("exactly one active poller").atMost(FAILOVER).pollInterval(Duration.ofMillis(100))
                .until(() -> instances.stream().filter(ScaleOutTest::isActivePoller).count() == 1);
        return instances.stream().filter(ScaleOutTest::isActivePoller).findFirst().orElseThrow();
    }

    private static boolean isActivePoller(RunningConnector instance) {
        ActivePoller poller = instance.camelContext().getRegistry().lookupByNameAndType("activePoller",
                ActivePoller.class);
        return poller != null && poller.isActive() && instance.camelContext().getRouteController()
                .getRouteStatus(ActivePoller.ROUTE_ID) == ServiceStatus.Started;
    }

    /** The instance's own meters (each instance has its registry). */
    private static MeterRegistry meters(RunningConnector instance) {
        return instance.camelContext().getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                MeterRegistry.class);
    }

    private static List<ConsumerRecord<byte[], byte[]>> outcomes(RunningConnector connector) {
        return events(connector).stream().filter(r -> header(r, "ce_correlationid") != null).toList();
    }

    /** The outcome events in topic order, each command's first only (replays repeat its ce_id). */
    private static List<ConsumerRecord<byte[], byte[]>> firstOutcomes(RunningConnector connector) {
        Set<String> seen = new HashSet<>();
        return outcomes(connector).stream().filter(r -> seen.add(header(r, "ce_id"))).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> changeEvents(RunningConnector connector) {
        return events(connector).stream().filter(r -> CHANGE_TYPES.contains(header(r, "ce_type"))).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> events(RunningConnector connector) {
        return connector.kafka().readAll(connector.topic(Setting.TOPIC_EVENTS));
    }

    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> byCommand(
            List<ConsumerRecord<byte[], byte[]>> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(r -> header(r, "ce_correlationid"),
                LinkedHashMap::new, Collectors.toList()));
    }
}
