package io.github.ucconnector.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.api.model.ConversationSummary;
import io.github.ucconnector.api.model.ConversationsResponse;
import io.github.ucconnector.api.model.ResponseMetadata;
import io.github.ucconnector.api.model.ResultSet;
import io.github.ucconnector.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The first scan of an empty summaries topic: which messages it reports, and which need a fetch to tell. */
class FirstScanTest {

    private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");
    private final ObjectMapper mapper = UltraCartJson.mapper();

    @Test
    void withoutBackfillOnlyMessagesWrittenSinceTheStartAreReported() throws Exception {
        List<ConversationChange> changes = firstScan(false, EnrichMode.AUTO);

        // Last message before the start: nothing to report, no call.
        assertThat(changes.get(0).newMessageCount()).isZero();
        assertThat(changes.get(0).needsFetch(EnrichMode.AUTO)).isFalse();
        // One message, written after the start: the summary describes it.
        assertThat(changes.get(1).newMessageCount()).isOne();
        assertThat(changes.get(1).needsFetch(EnrichMode.AUTO)).isFalse();
        // Three messages, the last after the start: a fetch tells which ones came after it.
        assertThat(changes.get(2).reportFrom()).isEqualTo(START);
        assertThat(changes.get(2).needsFetch(EnrichMode.AUTO)).isTrue();
    }

    @Test
    void withBackfillEveryMessageIsReported() throws Exception {
        List<ConversationChange> changes = firstScan(true, EnrichMode.AUTO);

        assertThat(changes).extracting(ConversationChange::newMessageCount).containsExactly(2, 1, 3);
        assertThat(changes).extracting(ConversationChange::reportFrom).containsOnlyNulls();
    }

    @Test
    void aLaterScanReportsEveryMessageOfANewConversation() throws Exception {
        ConversationPoller poller = poller(false, EnrichMode.AUTO);
        poller.resume(false); // the summaries topic held conversations: not a first scan

        assertThat(cycle(poller)).extracting(ConversationChange::newMessageCount).containsExactly(2, 1, 3);
    }

    private List<ConversationChange> firstScan(boolean backfill, EnrichMode mode) throws Exception {
        ConversationPoller poller = poller(backfill, mode);
        poller.resume(true);
        return cycle(poller);
    }

    private ConversationPoller poller(boolean backfill, EnrichMode mode) {
        return new ConversationPoller(new KnownConversations(mapper), new UltraCartResponses(mapper), mapper, mode,
                backfill, Duration.ofHours(1), 1 << 20, Clock.fixed(START, ZoneOffset.UTC),
                new ConnectorMetrics(new SimpleMeterRegistry()));
    }

    /** One cycle over three conversations, oldest first. */
    private List<ConversationChange> cycle(ConversationPoller poller) throws Exception {
        List<ConversationSummary> newestFirst = List.of(
                summary("recent-three", 3, "2026-01-01T12:00:05.000Z"),
                summary("recent-one", 1, "2026-01-01T12:00:01.000Z"),
                summary("old", 2, "2026-01-01T11:00:00.000Z"));
        PollCycle cycle = poller.newCycle();
        poller.collectChanges(cycle, new ConversationsResponse(newestFirst, null,
                new ResponseMetadata("conversations", new ResultSet(3, 200, false, 3, 0, 3)), true, null));
        return poller.changedConversations(cycle);
    }

    private static ConversationSummary summary(String uuid, int messages, String lastMessageDts) {
        return new ConversationSummary(false, "arn:" + uuid, uuid, null, "last body", "arn:customer", "Ada", null,
                lastMessageDts, "websocket", "DEMO", messages, List.of(), null, null, true, true);
    }
}
