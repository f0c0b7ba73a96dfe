package io.github.ucconnector.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import io.cloudevents.CloudEvent;
import io.github.ucconnector.api.UltraCartJson;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.ucconnector.api.model.ConversationMessage;
import io.github.ucconnector.api.model.ConversationParticipant;
import io.github.ucconnector.api.model.ConversationSentiment;
import io.github.ucconnector.api.model.ConversationSummary;
import io.github.ucconnector.event.CloudEventFactory;
import org.junit.jupiter.api.Test;

class ChangeEventsTest {

    private final ChangeEvents events = new ChangeEvents(new CloudEventFactory(URI.create("/test"),
            UltraCartJson.mapper(), Clock.systemUTC()), UltraCartJson.mapper());

    private static ConversationParticipant participant(String arn, String leftDts, int unread) {
        return new ConversationParticipant(arn, arn, null, null, "2026-01-01T00:00:00.000Z", "en", null, leftDts, null,
                null, leftDts == null ? "active" : "left", null, unread);
    }

    private static ConversationSummary summary(int messages, boolean closed, boolean unread, String sentiment,
            List<ConversationParticipant> participants) {
        return new ConversationSummary(closed, "arn:c", "c-1", null, "body " + messages, "arn:customer", "Ada", null,
                "2026-01-01T00:00:0" + messages + ".000Z", "websocket", "DEMO", messages, participants,
                sentiment == null ? null : new ConversationSentiment(null, null, null, null, null, sentiment), null,
                unread, true);
    }

    private List<String> types(ConversationSummary before, ConversationSummary after) {
        return events.eventsFor(ConversationChange.of(before, after)).stream().map(CloudEvent::getType).toList();
    }

    private static ConversationMessage message(int position) {
        return new ConversationMessage("arn:customer", "Ada", "body " + position, null, "m-" + position, null, "en",
                null, "DEMO", "2026-01-01T00:00:0" + position + ".000Z", 1_000L * position, null, null, null,
                "message", null);
    }

    private List<JsonNode> data(List<CloudEvent> events) {
        return events.stream().map(e -> {
            try {
                return UltraCartJson.mapper().readTree(e.getData().toBytes());
            } catch (java.io.IOException x) {
                throw new IllegalStateException(x);
            }
        }).toList();
    }

    @Test
    void firstSeenIsCreatedThenItsParticipantsThenEachMessageInOrderThenClosed() {
        assertThat(types(null, summary(0, false, false, null, List.of()))).containsExactly(ChangeEvents.CREATED);
        assertThat(types(null, summary(2, true, true, null, List.of(participant("arn:customer", null, 0),
                participant("arn:agent", "2026-01-01T00:00:09.000Z", 0))))).containsExactly(ChangeEvents.CREATED,
                ChangeEvents.PARTICIPANT_JOINED, ChangeEvents.PARTICIPANT_JOINED, ChangeEvents.PARTICIPANT_LEFT,
                ChangeEvents.MESSAGE_RECEIVED, ChangeEvents.MESSAGE_RECEIVED, ChangeEvents.CLOSED);

        List<CloudEvent> fetched = events.eventsFor(ConversationChange.of(null, summary(2, false, true, null, List.of()))
                .withFetched(List.of(message(1), message(2))));
        assertThat(data(fetched.subList(1, 3))).extracting(d -> d.path("message").path("conversation_message_uuid")
                .asText()).containsExactly("m-1", "m-2");
        assertThat(data(fetched.subList(1, 3))).extracting(d -> d.path("message_number").asInt()).containsExactly(1, 2);
    }

    @Test
    void oneNewMessageIsDescribedByTheSummaryAndSaysSo() {
        ConversationSummary before = summary(1, false, false, null, List.of(participant("arn:customer", null, 0)));
        ConversationSummary after = summary(2, false, true, null, List.of(participant("arn:customer", null, 1)));

        List<CloudEvent> published = events.eventsFor(ConversationChange.of(before, after));
        assertThat(published).extracting(CloudEvent::getType).containsExactly(ChangeEvents.MESSAGE_RECEIVED);
        JsonNode data = data(published).get(0);
        assertThat(data.path("message_source").asText()).isEqualTo(ChangeEvents.FROM_SUMMARY);
        assertThat(data.path("message_number").asInt()).isEqualTo(2);
        assertThat(data.path("message").path("body").asText()).isEqualTo("body 2");
        assertThat(data.path("message").has("conversation_message_uuid")).isFalse();
    }

    @Test
    void aMessageKeepsItsEventIdWhetherFetchedOrNotAndWhateverCameAfterIt() {
        ConversationSummary before = summary(1, false, false, null, List.of());
        String fromSummary = events.eventsFor(ConversationChange.of(before, summary(2, false, false, null, List.of())))
                .get(0).getId();
        // After a crash the same summary is the starting point, and a third message arrived meanwhile.
        List<CloudEvent> retried = events.eventsFor(ConversationChange.of(before, summary(3, false, false, null,
                List.of())).withFetched(List.of(message(1), message(2), message(3))));

        assertThat(retried).extracting(CloudEvent::getId).hasSize(2).first().isEqualTo(fromSummary);
        assertThat(retried.get(1).getId()).isNotEqualTo(fromSummary);
    }

    @Test
    void aParticipantThatLeftAndCameBackBetweenTwoSummariesLeftAndJoined() {
        ConversationParticipant first = participant("arn:agent-1", null, 0);
        ConversationParticipant again = new ConversationParticipant("arn:agent-1", "arn:agent-1", null, null,
                "2026-01-01T00:05:00.000Z", "en", null, null, null, null, "active", null, 0);

        assertThat(types(summary(1, false, false, null, List.of(first)), summary(1, false, false, null,
                List.of(again)))).containsExactly(ChangeEvents.PARTICIPANT_LEFT, ChangeEvents.PARTICIPANT_JOINED);
    }

    @Test
    void participantsDifferenceGivesJoinedAndLeft() {
        ConversationSummary before = summary(1, false, false, null, List.of(participant("arn:agent-1", null, 0),
                participant("arn:agent-2", null, 0)));
        ConversationSummary after = summary(1, false, false, null, List.of(participant("arn:agent-1", "2026-01-02", 0),
                participant("arn:agent-3", null, 0)));

        assertThat(types(before, after)).containsExactlyInAnyOrder(ChangeEvents.PARTICIPANT_LEFT,
                ChangeEvents.PARTICIPANT_JOINED, ChangeEvents.PARTICIPANT_LEFT);
    }

    @Test
    void closingIsClosedAndOtherChangesAreUpdated() {
        ConversationSummary open = summary(1, false, false, null, List.of());
        assertThat(types(open, summary(1, true, false, null, List.of()))).containsExactly(ChangeEvents.CLOSED);
        assertThat(types(open, summary(1, false, true, null, List.of()))).containsExactly(ChangeEvents.UPDATED);
        assertThat(types(open, summary(1, false, false, "NEGATIVE", List.of()))).containsExactly(ChangeEvents.UPDATED);
        assertThat(types(open, summary(1, true, false, "NEGATIVE", List.of())))
                .containsExactly(ChangeEvents.CLOSED, ChangeEvents.UPDATED);
    }

    @Test
    void eventIdsRepeatForTheSameChangeAndDifferForAnother() {
        ConversationSummary open = summary(1, false, false, null, List.of());
        String first = events.eventsFor(ConversationChange.of(open, summary(1, true, false, null, List.of()))).get(0)
                .getId();

        assertThat(events.eventsFor(ConversationChange.of(open, summary(1, true, false, null, List.of()))).get(0)
                .getId()).isEqualTo(first);
        assertThat(events.eventsFor(ConversationChange.of(summary(1, false, true, null, List.of()),
                summary(1, true, true, null, List.of()))).get(0).getId()).isNotEqualTo(first);
    }
}
