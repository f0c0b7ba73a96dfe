package io.github.ucconnector.admin;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.TopicProbe;
import io.github.ucconnector.support.TopicProbe.Outgoing;
import io.github.ucconnector.support.TopicProbe.Position;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Issue #17: partitions Kafka hands out anew in a rebalance are not paused by the consumer, so a paused command type
 * must be held back again on them. Another member joins the connector's command consumer group and leaves it again
 * (two rebalances, as a second instance starting and crashing would cause) while {@code start} is paused.
 */
class PauseAcrossRebalanceTest {

    private static final String TOKEN = "pause-rebalance-test-token";
    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer " + TOKEN);
    private static final List<Setting> COMMAND_TOPICS = List.of(Setting.TOPIC_COMMAND_START, Setting.TOPIC_COMMAND_JOIN,
            Setting.TOPIC_COMMAND_LEAVE, Setting.TOPIC_COMMAND_GET, Setting.TOPIC_COMMAND_UPLOAD_URL,
            Setting.TOPIC_COMMAND_AGENT_AUTH);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** After the positive control: many polls (every 200 ms) in which a start let through would show. */
    private static final Duration PAUSED_WATCH = Duration.ofSeconds(3);
    private static final int STARTS = 6;

    @Test
    void aRebalanceWhileStartIsPausedLetsNoStartThroughAndLosesNone() throws Exception {
        // Three partitions a topic, so that each rebalance moves start partitions between the members.
        try (RunningConnector connector = RunningConnector.start(Map.of(
                Setting.MANAGEMENT_ADMIN_TOKEN.property(), TOKEN, Setting.TOPIC_PARTITIONS.property(), "3"))) {
            String conversation = new SandboxAdmin(connector.sandbox()).openConversation("Ada", "Hello");
            String group = connector.setting(Setting.KAFKA_GROUP_ID);
            TopicProbe kafka = connector.kafka();
            awaitJoinOutcomes(connector, sendJoins(connector, "warm-up", conversation));

            assertThat(connector.management("POST", "/admin/pause?commands=start", ADMIN).statusCode()).isEqualTo(200);
            connector.sandbox().clearRequests();
            List<String> starts = new ArrayList<>();
            List<Outgoing> startRecords = new ArrayList<>();
            for (int n = 0; n < STARTS; n++) {
                String id = "paused-start-" + n;
                starts.add(id);
                // Keyed by id, so the starts spread over the start topic's partitions.
                startRecords.add(new Outgoing(connector.topic(Setting.TOPIC_COMMAND_START),
                        id.getBytes(StandardCharsets.UTF_8), Commands.start(id).withParticipants(arn(id)).toBytes()));
            }
            Map<TopicPartition, Long> firstPausedStart = firstOffsets(kafka.sendAll(startRecords));
            List<String> joins = new ArrayList<>(sendJoins(connector, "before-rebalance", conversation));
            awaitJoinOutcomes(connector, joins);

            try (KafkaConsumer<byte[], byte[]> member = memberOf(connector, group)) {
                // Polling, never committing, until the group has rebalanced onto both members and this one has its
                // share: the group turns stable before the member's own poll has taken in its assignment.
                long deadline = System.nanoTime() + PATIENCE.toNanos();
                while (!isStable(kafka, group, 2) || member.assignment().isEmpty()) {
                    assertThat(System.nanoTime()).as("the second member joined the group").isLessThan(deadline);
                    member.poll(Duration.ofMillis(200));
                }
                assertThat(member.assignment()).as("partitions of the second member")
                        .anyMatch(p -> p.topic().equals(connector.topic(Setting.TOPIC_COMMAND_START)));
                for (int i = 0; i < 5; i++) {
                    member.poll(Duration.ofMillis(200));
                }
            }
            await("the connector alone in its group again").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> isStable(kafka, group, 1));

            // Positive control: joins sent after the starts and the rebalances are handled.
            List<String> afterRebalance = sendJoins(connector, "after-rebalance", conversation);
            awaitJoinOutcomes(connector, afterRebalance);
            joins.addAll(afterRebalance);
            Thread.sleep(PAUSED_WATCH.toMillis());

            assertThat(outcomes(connector, starts)).as("outcomes of paused starts").isEmpty();
            assertThat(startCalls(connector)).as("start calls while paused").isEmpty();
            Map<TopicPartition, Long> committed = kafka.committedOffsets(group);
            firstPausedStart.forEach((partition, first) -> assertThat(committed.getOrDefault(partition, 0L))
                    .as("committed offset of %s, whose first paused start is at %d", partition, first)
                    .isLessThanOrEqualTo(first));

            assertThat(connector.management("POST", "/admin/resume?commands=start", ADMIN).statusCode())
                    .isEqualTo(200);
            starts.forEach(connector::outcomeOf);
            // Once every command is committed, no redelivery can add an outcome any more.
            kafka.awaitCommitted(group, COMMAND_TOPICS.stream().map(connector::topic).toList(), PATIENCE);
            assertThat(outcomes(connector, starts)).as("one outcome per start").hasSize(STARTS).doesNotHaveDuplicates()
                    .allSatisfy(started -> assertThat(started).startsWith("ultracart.conversation.started"));
            assertThat(outcomes(connector, joins)).as("one outcome per join").hasSize(joins.size())
                    .doesNotHaveDuplicates();
            List<RecordedRequest> startCalls = startCalls(connector);
            for (String start : starts) {
                assertThat(startCalls).as("start calls of " + start).filteredOn(r -> r.body().contains(arn(start)))
                        .hasSize(1);
            }
            assertThat(startCalls).hasSize(STARTS);
        }
    }

    private static List<String> sendJoins(RunningConnector connector, String stage, String conversation) {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            String id = stage + "-join-" + n;
            connector.send(Setting.TOPIC_COMMAND_JOIN, id, Commands.join(id, conversation).toJson(), Map.of());
            ids.add(id);
        }
        return ids;
    }

    private static void awaitJoinOutcomes(RunningConnector connector, List<String> joins) {
        for (String join : joins) {
            assertThat(header(connector.outcomeOf(join), "ce_type")).as("outcome of " + join)
                    .isEqualTo("ultracart.conversation.joined");
        }
    }

    /** A plain member of the connector's command consumer group, as another instance would be, that never commits. */
    private static KafkaConsumer<byte[], byte[]> memberOf(RunningConnector connector, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, connector.setting(Setting.KAFKA_BOOTSTRAP_SERVERS));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        member.subscribe(COMMAND_TOPICS.stream().map(connector::topic).toList());
        return member;
    }

    private static boolean isStable(TopicProbe kafka, String group, int members) throws Exception {
        ConsumerGroupDescription described = kafka.admin().describeConsumerGroups(List.of(group)).describedGroups()
                .get(group).get(10, TimeUnit.SECONDS);
        return described.state() == ConsumerGroupState.STABLE && described.members().size() == members;
    }

    private static Map<TopicPartition, Long> firstOffsets(List<Position> positions) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (Position position : positions) {
            first.merge(new TopicPartition(position.topic(), position.partition()), position.offset(), Math::min);
        }
        return first;
    }

    /** The types of the outcome events of these commands, each prefixed to its command id, one per event. */
    private static List<String> outcomes(RunningConnector connector, List<String> commandIds) {
        return connector.all(Setting.TOPIC_EVENTS, r -> commandIds.contains(header(r, "ce_correlationid"))).stream()
                .map(r -> header(r, "ce_type") + " " + header(r, "ce_correlationid")).toList();
    }

    private static List<RecordedRequest> startCalls(RunningConnector connector) {
        return connector.sandbox().requests().stream()
                .filter(r -> r.method().equals("PUT") && r.path().equals("/rest/v2/conversation/conversations"))
                .toList();
    }

    private static String arn(String commandId) {
        return "arn:rebalance:" + commandId;
    }
}
