package io.github.ucconnector.admin;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A pause holds commands on Kafka, uncommitted and untouched, and a resume lets every one of them through exactly
 * once; a pause of one command type leaves the others flowing; a paused poller makes no calls.
 */
class PauseResumeTest {

    private static final String TOKEN = "pause-resume-test-token";
    private static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer " + TOKEN);
    /**
     * How long a paused command is watched for not being handled: many times what handling one takes here (a poll
     * every 200 ms, a sandbox call of a few ms). A pause that let commands through would show within it.
     */
    private static final Duration PAUSED_WATCH = Duration.ofSeconds(4);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static RunningConnector connector;

    @BeforeAll
    static void startConnector() throws Exception {
        connector = RunningConnector.start(Map.of(Setting.MANAGEMENT_ADMIN_TOKEN.property(), TOKEN));
        // The consumer has its partitions and has committed on every command topic before a test pauses.
        List<String> warmUp = new ArrayList<>();
        for (Setting topic : List.of(Setting.TOPIC_COMMAND_JOIN, Setting.TOPIC_COMMAND_LEAVE, Setting.TOPIC_COMMAND_GET)) {
            warmUp.add(send(topic));
        }
        warmUp.forEach(connector::outcomeOf);
    }

    @AfterAll
    static void stopConnector() {
        connector.close();
    }

    @AfterEach
    void resumeEverything() throws Exception {
        new SandboxAdmin(connector.sandbox()).faults("{}");
        admin("POST", "/admin/resume");
    }

    @Test
    void pausedCommandsWaitUncommittedAndEachGetsOneOutcomeOnResume() throws Exception {
        HttpResponse<String> paused = admin("POST", "/admin/pause");
        assertThat(paused.statusCode()).isEqualTo(200);
        assertThat(paused.body()).contains("\"commands\":[\"start\",\"join\",\"leave\",\"get\",\"upload-url\","
                + "\"agent-auth\"],\"poller\":true");
        assertThat(connector.readiness()).containsEntry("operator-pause", "DOWN");
        assertThat(connector.management("/observe/health/ready").body())
                .contains("paused by an operator: all commands and the poller");
        Map<TopicPartition, Long> committedBefore = committedOffsets();
        connector.sandbox().clearRequests();

        List<String> commandIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            commandIds.add(send(Setting.TOPIC_COMMAND_JOIN));
            commandIds.add(send(Setting.TOPIC_COMMAND_LEAVE));
            commandIds.add(send(Setting.TOPIC_COMMAND_GET));
        }
        Thread.sleep(PAUSED_WATCH.toMillis());

        assertThat(connector.sandbox().requests()).as("API calls while paused").isEmpty();
        assertThat(outcomes(commandIds)).as("outcomes while paused").isEmpty();
        assertThat(committedOffsets()).as("committed offsets while paused").isEqualTo(committedBefore);

        assertThat(admin("POST", "/admin/resume").statusCode()).isEqualTo(200);
        assertThat(connector.readiness()).doesNotContainValue("DOWN");
        commandIds.forEach(connector::outcomeOf);
        assertThat(outcomes(commandIds)).as("one outcome per command").hasSize(commandIds.size())
                .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(commandIds);
        assertThat(connector.sandbox().requests()).hasSize(commandIds.size());
    }

    @Test
    void aPausedCommandTypeWaitsWhileTheOthersFlow() throws Exception {
        HttpResponse<String> paused = admin("POST", "/admin/pause?commands=join");
        assertThat(paused.body()).contains("\"paused\":{\"commands\":[\"join\"],\"poller\":false}");
        assertThat(connector.management("/observe/health/ready").body())
                .contains("paused by an operator: commands join");
        Map<TopicPartition, Long> committedBefore = committedOffsets();
        connector.sandbox().clearRequests();

        List<String> joins = List.of(send(Setting.TOPIC_COMMAND_JOIN), send(Setting.TOPIC_COMMAND_JOIN));
        List<String> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            others.add(send(Setting.TOPIC_COMMAND_GET));
            others.add(send(Setting.TOPIC_COMMAND_LEAVE));
        }
        others.forEach(connector::outcomeOf);
        Thread.sleep(PAUSED_WATCH.toMillis());

        assertThat(outcomes(joins)).as("outcomes of paused joins").isEmpty();
        assertThat(connector.sandbox().requests()).extracting(RecordedRequest::path)
                .as("no join call").noneMatch(path -> path.endsWith("/join"));
        assertThat(committedOffsets()).as("the join topic's committed offsets")
                .containsAllEntriesOf(onTopic(committedBefore, Setting.TOPIC_COMMAND_JOIN));

        assertThat(admin("POST", "/admin/resume?commands=join").body())
                .contains("\"paused\":{\"commands\":[],\"poller\":false}");
        joins.forEach(connector::outcomeOf);
        assertThat(outcomes(joins)).hasSize(2).doesNotHaveDuplicates();
        assertThat(outcomes(others)).hasSize(others.size()).doesNotHaveDuplicates();
    }

    @Test
    void commandsAlreadyPolledWhenTheirTypeIsPausedGoBackToKafkaUntilTheResume() throws Exception {
        // Slow answers, so that the pause lands while most of the joins of one poll are still to be handled.
        new SandboxAdmin(connector.sandbox()).faults("{\"latency_ms\":300}");
        List<String> joins = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            joins.add(send(Setting.TOPIC_COMMAND_JOIN));
        }
        await().atMost(PATIENCE).until(() -> !outcomes(joins).isEmpty());

        assertThat(admin("POST", "/admin/pause?commands=join").statusCode()).isEqualTo(200);
        // The join under way when the pause came ends as usual; its outcome is out within a second.
        Thread.sleep(1000);
        int handledBeforeThePause = outcomes(joins).size();
        Thread.sleep(PAUSED_WATCH.toMillis());

        assertThat(handledBeforeThePause).isLessThan(joins.size());
        assertThat(outcomes(joins)).as("outcomes while paused").hasSize(handledBeforeThePause);

        new SandboxAdmin(connector.sandbox()).faults("{}");
        admin("POST", "/admin/resume?commands=join");
        joins.forEach(connector::outcomeOf);
        assertThat(outcomes(joins)).as("one outcome per command").hasSize(joins.size()).doesNotHaveDuplicates();
    }

    @Test
    void thePausedPollerMakesNoCallsAndResumesPolling() throws Exception {
        Map<String, String> polling = new HashMap<>();
        polling.put(Setting.MANAGEMENT_ADMIN_TOKEN.property(), TOKEN);
        polling.put(Setting.POLL_ENABLED.property(), "true");
        try (RunningConnector poller = RunningConnector.start(polling)) {
            await().atMost(PATIENCE).until(() -> listCalls(poller) >= 2);
            assertThat(poller.management("POST", "/admin/pause?poller", ADMIN).body())
                    .contains("\"paused\":{\"commands\":[],\"poller\":true},\"active_poller\":true");
            // The answer comes once the cycle under way has ended: from now on no cycle runs.
            poller.sandbox().clearRequests();
            Thread.sleep(PAUSED_WATCH.toMillis());
            assertThat(listCalls(poller)).as("list calls while the poller is paused (a cycle every 300 ms)").isZero();
            assertThat(poller.readiness()).containsEntry("operator-pause", "DOWN");

            assertThat(poller.management("POST", "/admin/resume?poller", ADMIN).statusCode()).isEqualTo(200);
            await().atMost(PATIENCE).until(() -> listCalls(poller) >= 2);
            assertThat(poller.readiness()).doesNotContainValue("DOWN");
        }
    }

    @Test
    void theStateShowsTheBudgetThePollerAndTheDeadLetters() throws Exception {
        String invalid = "invalid-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_JOIN, null, Commands.idOnly(invalid).toJson(), Map.of());
        connector.deadLetterOf(invalid);

        HttpResponse<String> state = admin("GET", "/admin/state");

        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(state.body()).contains("\"active_poller\":false", "\"requests_left_this_hour\":",
                "\"requests_left_today\":", "\"call_slots_available\":1", "\"pause_seconds\":0.0",
                "\"dead_letters\":{", "\"invalid_command\":");
    }

    private static String send(Setting topic) {
        String commandId = "paused-" + topic.name().toLowerCase() + "-" + UUID.randomUUID();
        connector.send(topic, null, Commands.onConversation(commandId, "any-conversation").toJson(), Map.of());
        return commandId;
    }

    private static HttpResponse<String> admin(String method, String path) throws Exception {
        return connector.management(method, path, ADMIN);
    }

    /** The command ids of the outcome events of these commands, one per event. */
    private static List<String> outcomes(List<String> commandIds) {
        return connector.all(Setting.TOPIC_EVENTS, r -> commandIds.contains(header(r, "ce_correlationid"))).stream()
                .map(r -> header(r, "ce_correlationid")).toList();
    }

    private static Map<TopicPartition, Long> committedOffsets() throws Exception {
        return connector.kafka().committedOffsets(connector.setting(Setting.KAFKA_GROUP_ID));
    }

    private static Map<TopicPartition, Long> onTopic(Map<TopicPartition, Long> offsets, Setting topic) {
        Map<TopicPartition, Long> selected = new HashMap<>(offsets);
        selected.keySet().removeIf(partition -> !partition.topic().equals(connector.topic(topic)));
        assertThat(selected).as("committed offsets of " + connector.topic(topic)).isNotEmpty();
        return selected;
    }

    private static long listCalls(RunningConnector running) {
        return running.sandbox().requests().stream()
                .filter(r -> r.path().equals("/rest/v2/conversation/conversations")).count();
    }
}
