package io.github.ucconnector.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import io.cloudevents.CloudEvent;
import io.github.ucconnector.api.UltraCartJson;
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
        return events.eventsFor(new ConversationChange(before, after, null)).stream().map(CloudEvent::getType).toList();
    }

    @Test
    void firstSeenIsOnlyCreated() {
        assertThat(types(null, summary(3, false, true, null, List.of()))).containsExactly(ChangeEvents.CREATED);
    }

    @Test
    void newMessageWithItsUnreadFlagAndParticipantCountsIsOneMessageEvent() {
        ConversationSummary before = summary(1, false, false, null, List.of(participant("arn:customer", null, 0)));
        ConversationSummary after = summary(2, false, true, null, List.of(participant("arn:customer", null, 1)));

        assertThat(types(before, after)).containsExactly(ChangeEvents.MESSAGE_RECEIVED);
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
        ConversationSummary before = summary(1, false, false, null, List.of());
        ConversationSummary after = summary(2, false, false, null, List.of());
        String first = events.eventsFor(new ConversationChange(before, after, null)).get(0).getId();

        assertThat(events.eventsFor(new ConversationChange(before, after, null)).get(0).getId()).isEqualTo(first);
        assertThat(events.eventsFor(new ConversationChange(before, summary(3, false, false, null, List.of()), null))
                .get(0).getId()).isNotEqualTo(first);
    }
}
