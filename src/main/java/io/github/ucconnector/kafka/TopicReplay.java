package io.github.ucconnector.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a topic from its beginning to its end as of now: how compacted topics become the connector's memory. */
public final class TopicReplay {

    private static final Duration POLL = Duration.ofMillis(200);

    private TopicReplay() {
    }

    /**
     * Assigns every partition of the topic to the consumer and hands each record to the handler, oldest first per
     * partition. The consumer stays assigned, positioned at the end, so it can go on following the topic.
     *
     * @param what     the topic's role, for the error when it cannot be read in time
     * @param metadata bound of each metadata request
     * @param deadline bound of the whole read
     */
    public static <K, V> void readToEnd(KafkaConsumer<K, V> consumer, String topic, String what, Duration metadata,
            Duration deadline, Consumer<ConsumerRecord<K, V>> handler) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, metadata).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, metadata);
        long until = System.nanoTime() + deadline.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException("Could not read the " + what + " " + topic + " in time");
            }
            consumer.poll(POLL).forEach(handler);
        }
    }
}
