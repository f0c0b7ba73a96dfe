package io.github.ucconnector.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.api.model.ConversationMessage;
import io.github.ucconnector.api.model.ConversationSummary;
import io.github.ucconnector.api.model.ConversationsResponse;
import io.github.ucconnector.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The poll cycle's steps on their own: pages and answers in, changes out, no Camel exchange. */
class ConversationPollerStepsTest {

    private final ObjectMapper mapper = UltraCartJson.mapper();
    private final UltraCartResponses responses = new UltraCartResponses(mapper);
    private final KnownConversations known = new KnownConversations(mapper);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ConversationPoller poller = new ConversationPoller(known, responses, mapper, EnrichMode.AUTO,
            true, Duration.ofHours(1), 1 << 20, Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
            new ConnectorMetrics(meters));

    private static String summary(String uuid, int messages) {
        return "{\"conversation_uuid\":\"" + uuid + "\",\"message_count\":" + messages
                + ",\"last_conversation_message_body\":\"hello " + messages + "\"}";
    }

    /** A page of the list, newest first, with more pages after it. */
    private ConversationsResponse page(String... summaries) {
        return responses.conversations("{\"conversations\":[" + String.join(",", summaries)
                + "],\"metadata\":{\"result_set\":{\"more\":true,\"next_offset\":" + summaries.length + "}}}");
    }

    private ConversationSummary parsed(String summary) throws Exception {
        return mapper.readValue(summary, ConversationSummary.class);
    }

    @Test
    void theFirstCycleIsAFullScanAndTheNextOneWithinTheIntervalIsQuick() {
        PollCycle first = poller.newCycle();
        poller.finishCycle(first);

        assertThat(first.fullScan).isTrue();
        assertThat(first.completed).isTrue();
        assertThat(poller.newCycle().fullScan).isFalse();
        poller.fullScanNext();
        assertThat(poller.newCycle().fullScan).isTrue();
    }

    @Test
    void aQuickCycleStopsAtTheFirstUnchangedConversationAndListsTheChangesOldestFirst() throws Exception {
        known.remember(parsed(summary("c-old", 1)));
        poller.finishCycle(poller.newCycle());
        PollCycle quick = poller.newCycle();

        poller.collectChanges(quick, page(summary("c-newer", 1), summary("c-new", 2), summary("c-old", 1)));

        assertThat(poller.hasNextPage(quick)).isFalse();
        assertThat(poller.changedConversations(quick)).extracting(ConversationChange::conversationUuid)
                .containsExactly("c-new", "c-newer");
    }

    @Test
    void aFullScanReadsOnPastUnchangedConversations() throws Exception {
        known.remember(parsed(summary("c-old", 1)));
        PollCycle full = poller.newCycle();

        poller.collectChanges(full, page(summary("c-new", 2), summary("c-old", 1)));

        assertThat(poller.hasNextPage(full)).isTrue();
        assertThat(poller.changedConversations(full)).extracting(ConversationChange::conversationUuid)
                .containsExactly("c-new");
    }

    @Test
    void aPublishedChangeIsRememberedAsSeen() throws Exception {
        PollCycle cycle = poller.newCycle();
        poller.collectChanges(cycle, page(summary("c-1", 1)));
        ConversationChange change = poller.changedConversations(cycle).get(0);

        poller.startChange(cycle, change);
        poller.remember(cycle);

        assertThat(known.get("c-1")).contains(parsed(summary("c-1", 1)));
        PollCycle next = poller.newCycle();
        poller.collectChanges(next, page(summary("c-1", 1)));
        assertThat(poller.changedConversations(next)).isEmpty();
    }

    @Test
    void eachNewMessageOnKafkaIsTimedFromWhenItWasWritten() throws Exception {
        // Two messages seen before, two new ones written 3 s and 1.5 s before the poller's clock (one by its epoch,
        // one by its dts): the lag of the two new ones, none for the old.
        ConversationChange change = ConversationChange.of(parsed(summary("c-1", 2)), parsed(summary("c-1", 4)));
        ConversationChange fetched = poller.withMessages(change, responses.fetchedConversation(
                "{\"conversation\":{\"conversation_uuid\":\"c-1\",\"messages\":["
                        + "{\"body\":\"1\",\"message_dts\":\"2025-12-31T23:00:00Z\"},"
                        + "{\"body\":\"2\",\"message_dts\":\"2025-12-31T23:00:01Z\"},"
                        + "{\"body\":\"3\",\"message_epoch\":" + Instant.parse("2025-12-31T23:59:57Z").toEpochMilli()
                        + "},{\"body\":\"4\",\"message_dts\":\"2025-12-31T23:59:58.500Z\"}]}}"));

        poller.remember(cycleWith(fetched));

        Timer lag = meters.get("ultracart.connector.message.lag").timer();
        assertThat(lag.count()).isEqualTo(2);
        assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4500.0);
        assertThat(lag.max(TimeUnit.MILLISECONDS)).isEqualTo(3000.0);
    }

    @Test
    void fetchedMessagesAreKeptOldestFirst() throws Exception {
        ConversationChange change = ConversationChange.of(null, parsed(summary("c-1", 2)));

        ConversationChange fetched = poller.withMessages(change, responses.fetchedConversation(
                "{\"conversation\":{\"conversation_uuid\":\"c-1\",\"messages\":[{\"body\":\"second\","
                        + "\"message_epoch\":2},{\"body\":\"first\",\"message_epoch\":1}]}}"));

        assertThat(poller.needsMessages(cycleWith(change))).isTrue();
        assertThat(fetched.fetched()).extracting(ConversationMessage::body).containsExactly("first", "second");
    }

    @Test
    void aConversationWithFewerMessagesThanItsSummaryCountedIsAnError() throws Exception {
        ConversationChange change = ConversationChange.of(null, parsed(summary("c-1", 3)));

        assertThatIllegalStateException().isThrownBy(() -> poller.withMessages(change,
                responses.fetchedConversation("{\"conversation\":{\"conversation_uuid\":\"c-1\",\"messages\":[]}}")))
                .withMessageContaining("held 0 messages, its summary counted 3");
    }

    private PollCycle cycleWith(ConversationChange change) {
        PollCycle cycle = poller.newCycle();
        poller.startChange(cycle, change);
        return cycle;
    }

    @Test
    void aChangeWithOneNewMessageThatTheSummaryDescribesNeedsNoFetch() throws Exception {
        ConversationChange change = ConversationChange.of(parsed(summary("c-1", 1)), parsed(summary("c-1", 2)));

        assertThat(poller.needsMessages(cycleWith(change))).isFalse();
        assertThat(change.newMessageCount()).isEqualTo(1);
    }
}
