package io.github.ucconnector.event;

import java.nio.charset.StandardCharsets;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Writes a CloudEvent into a Camel message the way camel-kafka should produce it, in the CloudEvents Kafka binary
 * mode: attributes as {@code ce_*} headers, data as the value, the subject (a conversation uuid) as the key.
 */
public final class CloudEventRecords {

    private CloudEventRecords() {
    }

    /** Replaces the message's headers and body with the event. */
    public static void write(Message message, CloudEvent event) {
        write(message, event, event.getSubject());
    }

    /** As {@link #write(Message, CloudEvent)}, with an explicit key ({@code null}: no key). */
    public static void write(Message message, CloudEvent event, String key) {
        ProducerRecord<String, byte[]> record = KafkaMessageFactory.<String>createWriter("unused", key).writeBinary(event);
        message.getHeaders().clear();
        for (Header header : record.headers()) {
            message.setHeader(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        if (key != null) {
            message.setHeader(KafkaConstants.KEY, key);
        }
        message.setBody(new String(record.value(), StandardCharsets.UTF_8));
    }
}
