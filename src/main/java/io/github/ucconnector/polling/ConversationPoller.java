package io.github.ucconnector.polling;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.ApiOperation;
import io.github.ucconnector.api.ResponseBodies;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.api.model.Conversation;
import io.github.ucconnector.api.model.ConversationMessage;
import io.github.ucconnector.api.model.ConversationSummary;
import io.github.ucconnector.api.model.ConversationsResponse;
import io.github.ucconnector.api.model.ResultSet;
import io.github.ucconnector.metrics.ConnectorMetrics;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of a poll cycle (routes/conversation-poller.yaml). The list is newest first, so a quick cycle stops
 * paging at the first page that holds a conversation whose summary has not changed: everything after it is older
 * and unchanged too. A full scan reads every page and catches changes that do not move a conversation to the front.
 */
public final class ConversationPoller {

    public static final int PAGE_SIZE = 200;
    private static final Logger LOG = LoggerFactory.getLogger(ConversationPoller.class);

    private final KnownConversations known;
    private final UltraCartResponses responses;
    private final ObjectMapper mapper;
    private final EnrichMode enrich;
    private final boolean backfill;
    private final Duration fullScanInterval;
    private final int maxResponseBytes;
    private final Clock clock;
    private final ConnectorMetrics metrics;
    /** Messages written from now on are reported even by a first scan without backfill. */
    private final Instant startedAt;
    private volatile Instant lastFullScan;
    /** The next cycles until one ends are the first scan of an empty summaries topic. */
    private volatile boolean firstScan;

    /**
     * @param backfill whether the first scan of an empty summaries topic reports the messages conversations already
     *                 held; without it only those written since this poller was made are reported
     */
    public ConversationPoller(KnownConversations known, UltraCartResponses responses, ObjectMapper mapper,
            EnrichMode enrich, boolean backfill, Duration fullScanInterval, int maxResponseBytes, Clock clock,
            ConnectorMetrics metrics) {
        this.known = known;
        this.responses = responses;
        this.mapper = mapper;
        this.enrich = enrich;
        this.backfill = backfill;
        this.startedAt = clock.instant();
        this.fullScanInterval = fullScanInterval;
        this.maxResponseBytes = maxResponseBytes;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The first cycle after a start is a full scan; then one whenever the full-scan interval has passed. */
    public PollCycle newCycle() {
        Instant now = clock.instant();
        boolean full = lastFullScan == null || !now.isBefore(lastFullScan.plus(fullScanInterval));
        return new PollCycle(full, metrics.pollCycleStarted());
    }

    /** Route step: the cycle becomes the exchange's state, measured when the exchange is done, however it ended. */
    public void startCycle(Exchange exchange) {
        PollCycle cycle = newCycle();
        exchange.setProperty(PollCycle.PROPERTY, cycle);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                cycle.ended();
            }
        });
    }

    /**
     * After this instance became the active poller and read the summaries topic: the next cycle is a full scan, since
     * changes may have happened while no instance was polling, and the first scan when nothing was ever published.
     */
    public void resume(boolean nothingPublished) {
        fullScanNext();
        firstScan = nothingPublished;
    }

    /** The next cycle is a full scan: after a pause, changes that do not reorder the list may have happened. */
    public void fullScanNext() {
        lastFullScan = null;
    }

    public boolean hasNextPage(@ExchangeProperty(PollCycle.PROPERTY) PollCycle cycle) {
        return cycle.morePages;
    }

    public void prepareListRequest(Exchange exchange) {
        PollCycle cycle = cycle(exchange);
        String page = "_limit=" + PAGE_SIZE + "&_offset=" + cycle.nextOffset;
        ApiOperation.GET_CONVERSATIONS.request(List.of(), page, null).writeTo(exchange.getMessage());
    }

    /** Route step: the answer to the list request is the next page of the cycle. */
    public void readPage(@ExchangeProperty(PollCycle.PROPERTY) PollCycle cycle, Message answer) throws IOException {
        collectChanges(cycle, responses.conversations(ResponseBodies.read(answer, maxResponseBytes)));
    }

    /** Collects the changed summaries of one page and decides whether another page is needed. */
    public void collectChanges(PollCycle cycle, ConversationsResponse page) {
        List<ConversationSummary> summaries = page.conversations() == null ? List.of() : page.conversations();
        boolean restUnchanged = false;
        for (ConversationSummary summary : summaries) {
            if (summary.conversationUuid() == null || !cycle.listed.add(summary.conversationUuid())) {
                continue;
            }
            Optional<ConversationSummary> previous = known.get(summary.conversationUuid());
            if (previous.isPresent() && previous.get().equals(summary)) {
                restUnchanged = true;
            } else {
                ConversationChange change = ConversationChange.of(previous.orElse(null), summary);
                cycle.changes.add(previous.isEmpty() && firstScan && !backfill ? withoutBackfill(change) : change);
            }
        }
        cycle.pages++;
        ResultSet resultSet = page.metadata() == null ? null : page.metadata().resultSet();
        boolean more = resultSet != null && Boolean.TRUE.equals(resultSet.more()) && !summaries.isEmpty();
        int nextOffset = resultSet == null || resultSet.nextOffset() == null
                ? cycle.nextOffset + summaries.size() : resultSet.nextOffset();
        cycle.morePages = more && nextOffset > cycle.nextOffset && (cycle.fullScan || !restUnchanged);
        cycle.nextOffset = nextOffset;
    }

    /**
     * A conversation found by the first scan of an empty summaries topic: the messages written before this poller
     * started are left out. Only a conversation whose last message is newer needs a look at its messages.
     */
    private ConversationChange withoutBackfill(ConversationChange change) {
        int count = change.messageCount();
        if (count == 0) {
            return change;
        }
        if (!change.lastMessageAfter(startedAt)) {
            return change.withReported(count, null);
        }
        if (count == 1) {
            return change;
        }
        return enrich == EnrichMode.NEVER ? change.withReported(count - 1, null) : change.withReported(0, startedAt);
    }

    /** The changed conversations of the cycle, oldest first, so events come out in the order things happened. */
    public List<ConversationChange> changedConversations(@ExchangeProperty(PollCycle.PROPERTY) PollCycle cycle) {
        List<ConversationChange> changes = new ArrayList<>(cycle.changes);
        Collections.reverse(changes);
        return changes;
    }

    /** The change in the body is the one the cycle publishes next. */
    public void startChange(@ExchangeProperty(PollCycle.PROPERTY) PollCycle cycle, @Body ConversationChange change) {
        cycle.publishing = change;
    }

    public boolean needsMessages(@ExchangeProperty(PollCycle.PROPERTY) PollCycle cycle) {
        return cycle.publishing.needsFetch(enrich);
    }

    public void prepareConversationRequest(Exchange exchange) {
        ApiOperation.GET_CONVERSATION.request(change(exchange).conversationUuid()).writeTo(exchange.getMessage());
    }

    /** Route step: the answer to the conversation request; the change with its messages becomes the body. */
    public ConversationChange readMessages(@ExchangeProperty(PollCycle.PROPERTY) PollCycle cycle, Message answer)
            throws IOException {
        cycle.publishing = withMessages(cycle.publishing,
                responses.fetchedConversation(ResponseBodies.read(answer, maxResponseBytes)));
        return cycle.publishing;
    }

    /**
     * Keeps the conversation's messages oldest first; the events take those at the positions the summary counts as
     * new. Messages written since the summary was listed come after them and wait for the next cycle's summary.
     */
    public ConversationChange withMessages(ConversationChange change, Conversation conversation) {
        List<ConversationMessage> messages = new ArrayList<>(
                conversation.messages() == null ? List.of() : conversation.messages());
        messages.sort(Comparator.comparing(ConversationMessage::messageEpoch,
                Comparator.nullsFirst(Comparator.naturalOrder())));
        if (messages.size() < change.messageCount()) {
            throw new IllegalStateException("conversation " + change.conversationUuid() + " held "
                    + messages.size() + " messages, its summary counted " + change.messageCount());
        }
        return change.withFetched(List.copyOf(messages));
    }

    /** The summaries topic record: key = conversation uuid, value = the spec's ConversationSummary JSON. */
    public void summaryRecord(@ExchangeProperty(PollCycle.PROPERTY) PollCycle cycle, Message record)
            throws IOException {
        ConversationSummary summary = cycle.publishing.current();
        record.getHeaders().clear();
        record.setHeader(KafkaConstants.KEY, summary.conversationUuid());
        record.setBody(mapper.writeValueAsString(summary));
    }

    /**
     * Runs once the summary is on Kafka: from now on the conversation counts as seen, and its new messages are on
     * Kafka, so their lag is measured: from when each was written to now.
     */
    public void remember(@ExchangeProperty(PollCycle.PROPERTY) PollCycle cycle) {
        known.remember(cycle.publishing.current());
        Instant now = clock.instant();
        cycle.publishing.reportedMessageTimes().forEach(written -> metrics.messageReported(Duration.between(written,
                now)));
    }

    public void finishCycle(@ExchangeProperty(PollCycle.PROPERTY) PollCycle cycle) {
        cycle.completed = true;
        firstScan = false;
        if (cycle.fullScan) {
            // Counted from the end: a long scan (many changes to publish) is not followed by another at once.
            lastFullScan = clock.instant();
        }
        LOG.debug("Poll cycle ({}) read {} page(s), {} changed conversation(s)",
                cycle.fullScan ? "full scan" : "quick", cycle.pages, cycle.changes.size());
    }

    /** For the steps that write an HTTP request, which camel-http takes from the message's headers. */
    private static PollCycle cycle(Exchange exchange) {
        return exchange.getProperty(PollCycle.PROPERTY, PollCycle.class);
    }

    private static ConversationChange change(Exchange exchange) {
        return cycle(exchange).publishing;
    }
}
