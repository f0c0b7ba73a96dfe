package io.github.ucconnector.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.api.model.ConversationSummary;
import io.github.ucconnector.api.model.ConversationsResponse;
import io.github.ucconnector.api.model.ResponseMetadata;
import io.github.ucconnector.api.model.ResultSet;
import io.github.ucconnector.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cost model: a quick cycle with K changed conversations reads at most 1 + ceil(K/200) pages. */
class PollCostTest {

    private static final int CONVERSATIONS = 1000;
    private final ObjectMapper mapper = UltraCartJson.mapper();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, 199, 200, 201, 500, 999})
    void quickCycleReadsOnlyThePagesThatCanHoldChanges(int changed) throws Exception {
        List<ConversationSummary> newestFirst = new ArrayList<>();
        for (int i = 0; i < CONVERSATIONS; i++) {
            newestFirst.add(summary("c-" + i, 1));
        }
        KnownConversations known = new KnownConversations(mapper);
        newestFirst.forEach(known::remember);
        ConversationPoller poller = new ConversationPoller(known, new UltraCartResponses(mapper), mapper, EnrichMode.AUTO, false,
                Duration.ofHours(1), 1 << 24,
                Clock.systemUTC(), new ConnectorMetrics(new SimpleMeterRegistry()));
        runCycle(poller, known, newestFirst); // the first cycle after a start is a full scan
        for (int i = 0; i < changed; i++) {
            newestFirst.set(i, summary("c-" + i, 2));
        }

        Cycle cycle = runCycle(poller, known, newestFirst);

        assertThat(cycle.pages).isLessThanOrEqualTo(1 + (changed + 199) / 200);
        assertThat(cycle.changes).hasSize(changed);
        if (changed == 0) {
            assertThat(cycle.pages).isEqualTo(1);
        }
    }

    private record Cycle(int pages, List<ConversationChange> changes) {
    }

    /** Drives the route's steps, answering each list call from the given list like the API would. */
    private Cycle runCycle(ConversationPoller poller, KnownConversations known, List<ConversationSummary> newestFirst) throws Exception {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        poller.startCycle(exchange);
        PollCycle cycle = exchange.getProperty(PollCycle.PROPERTY, PollCycle.class);
        int pages = 0;
        while (poller.hasNextPage(cycle)) {
            poller.prepareListRequest(exchange);
            Map<String, String> query = query(exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class));
            int offset = Integer.parseInt(query.get("_offset"));
            int limit = Integer.parseInt(query.get("_limit"));
            List<ConversationSummary> page = newestFirst.subList(offset, Math.min(offset + limit, newestFirst.size()));
            boolean more = offset + page.size() < newestFirst.size();
            exchange.getMessage().setBody(mapper.writeValueAsString(new ConversationsResponse(page, null,
                    new ResponseMetadata("conversations", new ResultSet(page.size(), limit, more,
                            offset + page.size(), offset, newestFirst.size())), true, null)));
            poller.readPage(cycle, exchange.getMessage());
            pages++;
        }
        List<ConversationChange> changes = poller.changedConversations(cycle);
        for (ConversationChange change : changes) {
            known.remember(change.current());
        }
        poller.finishCycle(cycle);
        return new Cycle(pages, changes);
    }

    private static ConversationSummary summary(String uuid, int messageCount) {
        return new ConversationSummary(false, "arn:" + uuid, uuid, null, "message " + messageCount, null, null, null,
                null, "websocket", "DEMO", messageCount, List.of(), null, null, false, true);
    }

    private static Map<String, String> query(String query) {
        Map<String, String> values = new java.util.HashMap<>();
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            values.put(parts[0], parts[1]);
        }
        return values;
    }
}
