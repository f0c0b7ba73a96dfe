package io.github.ucconnector.command;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.TopicPartition;

/**
 * A command record exactly as it was consumed: what a dead letter must reproduce unchanged.
 *
 * @param headers the record's own headers, raw bytes as they were on Kafka
 */
public record ReceivedRecord(String topic, int partition, long offset, byte[] key, byte[] value,
        Map<String, Object> headers) {

    /** How often a dead letter redrive has sent the record back: 1 the first time, one more each time after. */
    public static final String REDRIVE_COUNT = "ultracart_redrive_count";
    private static final String CLOUDEVENTS_ID = "ce_id";

    public static ReceivedRecord of(Message message) {
        Map<String, Object> headers = new LinkedHashMap<>();
        message.getHeaders().forEach((name, value) -> {
            // camel-kafka adds its own metadata as kafka.* and Camel* headers; the rest came with the record.
            if (!name.startsWith("kafka.") && !name.startsWith("Camel")) {
                headers.put(name, value);
            }
        });
        return new ReceivedRecord(message.getHeader(KafkaConstants.TOPIC, String.class),
                message.getHeader(KafkaConstants.PARTITION, Integer.class),
                message.getHeader(KafkaConstants.OFFSET, Long.class),
                message.getHeader(KafkaConstants.KEY, byte[].class),
                message.getBody(byte[].class),
                headers);
    }

    /** The partition the record came from: where its order, its batch and its commit belong. */
    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    /** How often the record has been redriven: 0 for a command as its sender wrote it. */
    public int redriveCount() {
        if (headers.get(REDRIVE_COUNT) instanceof byte[] count) {
            try {
                return Math.max(0, Integer.parseInt(new String(count, StandardCharsets.UTF_8).strip()));
            } catch (NumberFormatException e) {
                // Not a count a redrive wrote: the record is taken as it came from its sender.
            }
        }
        return 0;
    }

    /**
     * The id a command has when its value names none: its CloudEvents id if it has one, else its position on
     * Kafka, which a redelivery of the same record keeps.
     *
     * @param isCommandId whether a {@code ce_id} header may serve as a command id
     */
    public String fallbackCommandId(Predicate<String> isCommandId) {
        Object ceId = headers.get(CLOUDEVENTS_ID);
        String text = ceId instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : ceId == null ? null : ceId.toString();
        if (isCommandId.test(text)) {
            return text;
        }
        return topic + "-" + partition + "-" + offset;
    }
}
