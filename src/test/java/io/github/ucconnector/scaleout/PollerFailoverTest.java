package io.github.ucconnector.scaleout;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.polling.ChangeEvents;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.ConnectorJvm;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.SharedKafka;
import io.github.ucconnector.support.TestTopics;
import io.github.ucconnector.support.TopicProbe;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Two connectors in JVMs of their own share the work; the active poller is killed with SIGKILL while commands are
 * in flight. The other instance takes over polling within the failover timeout, resumes from the summaries topic
 * and publishes no change twice; the dead instance's commands are redelivered to the survivor and each still gets
 * one outcome id, no start reaching UltraCart twice.
 */
class PollerFailoverTest {

    private static final Duration FAILOVER = Duration.ofSeconds(12);
    private static final Set<String> CHANGE_TYPES = Set.of(ChangeEvents.CREATED, ChangeEvents.MESSAGE_RECEIVED,
            ChangeEvents.CLOSED, ChangeEvents.PARTICIPANT_JOINED, ChangeEvents.PARTICIPANT_LEFT, ChangeEvents.UPDATED);
    private static final String START_PATH = "/rest/v2/conversation/conversations";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void killedActivePollerIsReplacedWithinTheFailoverTimeoutAndNoCommandOrChangeIsLostOrDoubled() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        String prefix = "f" + UUID.randomUUID().toString().substring(0, 8) + ".";
        Map<String, String> environment = environment(kafka, prefix);
        try (UltraCartSandbox sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0));
                TopicProbe probe = new TopicProbe(kafka)) {
            Admin admin = probe.admin();
            SandboxAdmin sandboxAdmin = new SandboxAdmin(sandbox);
            List<String> opened = List.of(sandboxAdmin.openConversation("Ada", "Hello"),
                    sandboxAdmin.openConversation("Grace", "Hi there"));
            sandboxAdmin.faults("{\"latency_ms\":40}");
            environment.put(Setting.ULTRACART_BASE_URL.environmentVariable(), sandbox.baseUrl());
            String events = environment.get(Setting.TOPIC_EVENTS.environmentVariable());
            String leaseGroup = environment.get(Setting.KAFKA_GROUP_ID.environmentVariable()) + "-poller";

            try (ConnectorJvm one = ConnectorJvm.onClassPath("one").env(withSource(environment, "one")).start();
                    ConnectorJvm two = ConnectorJvm.onClassPath("two").env(withSource(environment, "two")).start()) {
                List<ConnectorJvm> both = List.of(one, two);
                one.awaitBanner(Duration.ofSeconds(60));
                two.awaitBanner(Duration.ofSeconds(60));
                ConnectorJvm leader = await("the active poller").atMost(FAILOVER).pollInterval(Duration.ofMillis(200))
                        .until(() -> leaseHolder(admin, leaseGroup, both), Optional::isPresent).orElseThrow();
                ConnectorJvm survivor = leader == one ? two : one;
                await("created events of the opened conversations").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(300))
                        .until(() -> changes(probe, events).stream()
                                .filter(r -> ChangeEvents.CREATED.equals(header(r, "ce_type"))).count() >= 2);

                // Commands for both instances (four partitions per topic), some in flight at the kill.
                Map<String, String> commands = new LinkedHashMap<>();
                for (int i = 0; i < 30; i++) {
                    String id = "start-" + i + "-" + UUID.randomUUID();
                    commands.put(id, "start");
                    probe.send(environment.get(Setting.TOPIC_COMMAND_START.environmentVariable()),
                            UUID.randomUUID().toString(), Commands.start(id).toJson(), Map.of());
                }
                for (int n = 1; n <= 5; n++) {
                    for (String uuid : opened) {
                        String id = "get-" + uuid + "-" + n;
                        commands.put(id, "get");
                        probe.send(environment.get(Setting.TOPIC_COMMAND_GET.environmentVariable()), uuid,
                                Commands.get(id, uuid).toJson(), Map.of());
                    }
                }
                await("the first outcomes").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                        .until(() -> outcomes(probe, events).size() >= 6);

                long killed = System.nanoTime();
                leader.sigkill();
                sandboxAdmin.addCustomerMessage(opened.get(0), "Is anyone there?");
                await("the new message published by the survivor").atMost(FAILOVER).pollInterval(Duration.ofMillis(200))
                        .until(() -> changes(probe, events).stream().anyMatch(r -> isNewMessage(r, opened.get(0))));
                Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
                System.out.println("Takeover after SIGKILL: " + takeover.toMillis() + " ms");
                assertThat(takeover).as("takeover after SIGKILL").isLessThan(FAILOVER);
                assertThat(leaseHolder(admin, leaseGroup, both)).contains(survivor);

                await("an outcome for every command").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                        .until(() -> byCommand(outcomes(probe, events)).keySet().containsAll(commands.keySet()));
                Thread.sleep(1500);
                survivor.requireAlive();

                // Commands: each has one outcome id (a redelivered command repeats it); no start was sent twice.
                Map<String, List<ConsumerRecord<byte[], byte[]>>> byCommand = byCommand(outcomes(probe, events));
                assertThat(byCommand).hasSize(commands.size());
                byCommand.forEach((id, records) -> {
                    assertThat(records).extracting(r -> header(r, "ce_id")).as(id)
                            .containsOnly(header(records.get(0), "ce_id"));
                    assertThat(records.stream().filter(r -> "ultracart.conversation.started".equals(header(r, "ce_type")))
                            .map(r -> header(r, "ce_subject")).distinct()).as("conversations started by %s", id)
                            .hasSizeLessThanOrEqualTo(1);
                    for (ConsumerRecord<byte[], byte[]> record : records) {
                        if ("ultracart.conversation.command.failed".equals(header(record, "ce_type"))) {
                            // Only a start whose call may have been under way at the kill: not sent again, by design.
                            assertThat(commands.get(id)).as(id).isEqualTo("start");
                            assertThat(category(record)).as(id).isEqualTo("unknown_outcome");
                        }
                    }
                });
                long startCalls = sandbox.requests().stream()
                        .filter(r -> r.method().equals("PUT") && r.path().equals(START_PATH)).count();
                long started = byCommand.values().stream().filter(records -> records.stream()
                        .anyMatch(r -> "ultracart.conversation.started".equals(header(r, "ce_type")))).count();
                assertThat(startCalls).as("start calls").isBetween(started, 30L);

                // Changes: one event per change (an event repeated after the kill carries the same id and data),
                // one summary per state.
                List<ConsumerRecord<byte[], byte[]>> changes = changes(probe, events);
                Map<String, List<ConsumerRecord<byte[], byte[]>>> byId = changes.stream()
                        .collect(Collectors.groupingBy(r -> header(r, "ce_id")));
                byId.forEach((id, records) -> assertThat(records).extracting(r -> new String(r.value()))
                        .as("event %s", id).containsOnly(new String(records.get(0).value())));
                Map<String, Long> createdIds = changes.stream()
                        .filter(r -> ChangeEvents.CREATED.equals(header(r, "ce_type")))
                        .collect(Collectors.groupingBy(r -> header(r, "ce_subject"),
                                Collectors.mapping(r -> header(r, "ce_id"), Collectors.collectingAndThen(
                                        Collectors.toSet(), set -> (long) set.size()))));
                assertThat(createdIds).containsKeys(opened.toArray(String[]::new))
                        .allSatisfy((uuid, ids) -> assertThat(ids).as(uuid).isOne());
                assertThat(changes.stream().filter(r -> isNewMessage(r, opened.get(0)))
                        .map(r -> header(r, "ce_id")).distinct()).hasSize(1);
                List<ConsumerRecord<byte[], byte[]>> summaries = probe.readAll(
                        environment.get(Setting.TOPIC_SUMMARIES.environmentVariable()));
                assertThat(summaries).extracting(r -> new String(r.key()) + "=" + new String(r.value()))
                        .doesNotHaveDuplicates();
            }
        }
    }

    private static Map<String, String> environment(String kafka, String prefix) {
        Map<String, String> env = new HashMap<>();
        env.put(Setting.KAFKA_BOOTSTRAP_SERVERS.environmentVariable(), kafka);
        env.put(Setting.KAFKA_GROUP_ID.environmentVariable(), prefix + "connector");
        env.put(Setting.KAFKA_POLL_TIMEOUT_MS.environmentVariable(), "200");
        env.put(Setting.ULTRACART_API_KEY.environmentVariable(), SandboxOptions.DEFAULT_API_KEY);
        env.put(Setting.ULTRACART_RETRY_DELAY_MS.environmentVariable(), "50");
        env.put(Setting.ULTRACART_RESPONSE_TIMEOUT_MS.environmentVariable(), "2000");
        env.put(Setting.ROUTES_LOCATION.environmentVariable(),
                "file:" + Path.of("routes").toAbsolutePath() + "/*.yaml");
        env.put(Setting.POLL_ENABLED.environmentVariable(), "true");
        env.put(Setting.POLL_INTERVAL_MS.environmentVariable(), "300");
        env.put(Setting.POLL_FAILOVER_TIMEOUT_MS.environmentVariable(), Long.toString(FAILOVER.toMillis()));
        env.put(Setting.TOPIC_PARTITIONS.environmentVariable(), "4");
        env.put(Setting.ULTRACART_BUDGET_INSTANCES.environmentVariable(), "2");
        // Two JVMs on one host: each serves health and metrics on a free port of its own, never on 8080.
        env.put(Setting.MANAGEMENT_PORT.environmentVariable(), "0");
        // The command consumers' session timeout: the dead instance's partitions move after it (6 s: the broker's
        // minimum). By name, so that this test does not depend on how that setting is declared.
        env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        TestTopics.prefixed(prefix).forEach((topic, name) -> env.put(topic.environmentVariable(), name));
        return env;
    }

    private static Map<String, String> withSource(Map<String, String> environment, String name) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(Setting.EVENT_SOURCE.environmentVariable(), "/connector-" + name);
        return env;
    }

    /** The instance whose lease consumer holds partition 0; its client id ends with its process id. */
    private static Optional<ConnectorJvm> leaseHolder(Admin admin, String leaseGroup, List<ConnectorJvm> instances)
            throws Exception {
        List<MemberDescription> members = new ArrayList<>(admin.describeConsumerGroups(List.of(leaseGroup))
                .describedGroups().get(leaseGroup).get(5, TimeUnit.SECONDS).members());
        return members.stream().filter(m -> m.assignment().topicPartitions().stream().anyMatch(p -> p.partition() == 0))
                .findFirst().flatMap(m -> instances.stream().filter(i -> m.clientId().endsWith("-" + i.pid()))
                        .findFirst());
    }

    private static boolean isNewMessage(ConsumerRecord<byte[], byte[]> record, String uuid) {
        return uuid.equals(header(record, "ce_subject"))
                && ChangeEvents.MESSAGE_RECEIVED.equals(header(record, "ce_type"));
    }

    private static String category(ConsumerRecord<byte[], byte[]> record) {
        try {
            return JSON.readTree(record.value()).path("category").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> outcomes(TopicProbe probe, String events) {
        return probe.readAll(events).stream().filter(r -> header(r, "ce_correlationid") != null).toList();
    }

    private static List<ConsumerRecord<byte[], byte[]>> changes(TopicProbe probe, String events) {
        return probe.readAll(events).stream().filter(r -> CHANGE_TYPES.contains(header(r, "ce_type")))
                .toList();
    }

    private static Map<String, List<ConsumerRecord<byte[], byte[]>>> byCommand(
            List<ConsumerRecord<byte[], byte[]>> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(r -> header(r, "ce_correlationid"),
                LinkedHashMap::new, Collectors.toList()));
    }
}
