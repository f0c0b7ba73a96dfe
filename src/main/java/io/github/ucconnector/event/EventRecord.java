package io.github.ucconnector.event;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A CloudEvent as it goes to Kafka in the CloudEvents Kafka binary mode: attributes as {@code ce_*} headers (and
 * {@code content-type}), data as the value.
 *
 * @param key the record key, or {@code null} for none
 */
public record EventRecord(String key, Map<String, String> headers, String value) {

    public EventRecord {
        headers = Map.copyOf(headers);
    }

    public static EventRecord of(CloudEvent event, String key) {
        ProducerRecord<String, byte[]> record = KafkaMessageFactory.<String>createWriter("unused", key).writeBinary(event);
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return new EventRecord(key, headers, new String(record.value(), StandardCharsets.UTF_8));
    }

    /** Replaces the message's headers and body with the record. */
    public void writeTo(Message message) {
        message.getHeaders().clear();
        message.getHeaders().putAll(headers);
        if (key != null) {
            message.setHeader(KafkaConstants.KEY, key);
        }
        message.setBody(value);
    }
}
