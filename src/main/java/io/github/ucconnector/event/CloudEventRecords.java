package io.github.ucconnector.event;

import io.cloudevents.CloudEvent;
import org.apache.camel.Message;

/**
 * Writes a CloudEvent into a Camel message the way camel-kafka should produce it, in the CloudEvents Kafka binary
 * mode ({@link EventRecord}), the subject (a conversation uuid) as the key.
 */
public final class CloudEventRecords {

    private CloudEventRecords() {
    }

    /** Replaces the message's headers and body with the event. */
    public static void write(Message message, CloudEvent event) {
        EventRecord.of(event, event.getSubject()).writeTo(message);
    }
}
