package io.github.ucconnector.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.reliability.CommandFeed.SentCommand;
import io.github.ucconnector.reliability.EventTopicReader.Event;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.sandbox.UltraCartSandbox;
import io.github.ucconnector.support.SharedKafka;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged connector is killed with SIGKILL in the middle of a run of 1,000+ commands and started again: nothing
 * is lost, a repeated outcome repeats its ce_id, and no start command reaches UltraCart twice.
 */
class CrashRecoveryIT {

    private static final int SEED_CONVERSATIONS = 50;
    private static final int MIXED_COMMANDS = 1000;
    private static final int KILL_AFTER_OUTCOMES = 300;

    private UltraCartSandbox sandbox;
    private ConnectorProcess connector;
    private CommandFeed feed;
    private EventTopicReader events;

    @BeforeEach
    void start() throws Exception {
        String kafka = SharedKafka.bootstrapServers();
        sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0));
        connector = ConnectorProcess.configure("crash-recovery", kafka, sandbox.baseUrl(), Map.of()).start();
        feed = new CommandFeed(kafka, connector);
        events = new EventTopicReader(kafka, connector.topic(Setting.TOPIC_EVENTS));
    }

    @AfterEach
    void stop() {
        TestResources.closeAll(events, feed, connector, sandbox);
    }

    @Test
    void sigkillMidRunLosesNoCommandRepeatsNoOutcomeIdAndCallsNoStartTwice() {
        long t0 = System.nanoTime();
        // Conversations to join and leave, started through start commands like everything else.
        List<String> seedIds = new ArrayList<>();
        for (int i = 0; i < SEED_CONVERSATIONS; i++) {
            seedIds.add(feed.start("crash-seed-" + i).commandId());
        }
        feed.flush();
        await("outcomes of the " + SEED_CONVERSATIONS + " seed start commands").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> events.answered(seedIds) == SEED_CONVERSATIONS);
        List<String> conversations = new ArrayList<>();
        Map<String, List<Event>> seedOutcomes = events.byCommandId();
        for (String id : seedIds) {
            Event started = seedOutcomes.get(id).get(0);
            assertThat(started.type()).as("outcome of seed command %s: %s", id, started.value())
                    .isEqualTo("ultracart.conversation.started");
            conversations.add(started.subject());
        }

        // 1,000 mixed commands: every other one a start, the rest join and leave on the seed conversations.
        List<String> mixedIds = new ArrayList<>();
        for (int i = 0; i < MIXED_COMMANDS; i++) {
            SentCommand command;
            if (i % 2 == 0) {
                command = feed.start("crash-start-" + i);
            } else {
                int k = i / 2;
                String conversation = conversations.get(k % SEED_CONVERSATIONS);
                command = (k / SEED_CONVERSATIONS) % 2 == 0 ? feed.join("crash-join-" + i, conversation)
                        : feed.leave("crash-leave-" + i, conversation);
            }
            mixedIds.add(command.commandId());
        }
        feed.flush();
        long tSent = System.nanoTime();

        await("the first " + KILL_AFTER_OUTCOMES + " outcomes of the mixed commands").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> events.answered(mixedIds) >= KILL_AFTER_OUTCOMES);
        connector.sigkill();
        long answeredAtKill = events.answered(mixedIds);
        long tKilled = System.nanoTime();
        assertThat(answeredAtKill).as("the kill must come in the middle of the run (outcomes seen at the kill)")
                .isLessThan(MIXED_COMMANDS);

        connector.start();
        long tRestarted = System.nanoTime();
        List<String> allIds = feed.sentIds();
        await("an outcome event for every one of the " + allIds.size() + " commands after the restart")
                .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    Map<String, List<Event>> byId = events.byCommandId();
                    List<String> missing = allIds.stream().filter(id -> !byId.containsKey(id)).toList();
                    assertThat(missing).as("%d commands without an outcome, first ones", missing.size())
                            .isEmpty();
                });
        long tDone = System.nanoTime();

        DeliveryReport report = DeliveryReport.of(feed.sent(), events.events(), sandbox.requests());
        System.out.printf("CrashRecoveryIT: seeds %.1f s, %d outcomes of %d seen at the kill after %.1f s, "
                        + "restart took %.1f s, rest done %.1f s later; %s%n",
                seconds(tSent - t0), answeredAtKill, MIXED_COMMANDS, seconds(tKilled - tSent),
                seconds(tRestarted - tKilled), seconds(tDone - tRestarted), report);

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(report.missing).as("commands without an outcome event").isEmpty();
        soft.assertThat(report.conflictingIds)
                .as("commands whose outcome events carry another ce_id than the one derived from the command id")
                .isEmpty();
        soft.assertThat(report.unexpectedTypes).as("commands whose outcome is not a success").isEmpty();
        // The one command in flight at the kill (one consumer, one API call at a time) may be a start the ledger
        // found pending: README, Delivery guarantees, it then fails as unknown_outcome and is not sent again.
        soft.assertThat(report.unknownOutcomeStarts)
                .as("start commands that failed as unknown_outcome (only the one in flight at the kill may)")
                .hasSizeLessThanOrEqualTo(1);
        soft.assertThat(report.distinctStartedEventIds).as("started events with distinct ce_id")
                .isEqualTo(report.startCommands - report.unknownOutcomeStarts.size());
        // At most once towards UltraCart: each start command carries its own webchat queue uuid in its request body.
        soft.assertThat(report.startsCalledTwice)
                .as("start commands whose PUT /conversation/conversations reached the API more than once "
                        + "(a redelivered command called the API again)")
                .isEmpty();
        soft.assertThat(report.startPuts).as("PUT /rest/v2/conversation/conversations calls vs %d start commands",
                report.startCommands).isLessThanOrEqualTo(report.startCommands);
        // Join and leave are safe to repeat and not claimed in the ledger: only the one in flight may run twice.
        soft.assertThat(report.joinLeaveCalls).as("join and leave calls vs %d join and leave commands",
                report.joinLeaveCommands).isLessThanOrEqualTo(report.joinLeaveCommands + 1);
        soft.assertAll();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
