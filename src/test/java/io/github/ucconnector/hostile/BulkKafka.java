package io.github.ucconnector.hostile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka in bulk, as a load-generating client would use it: many records sent with one batched asynchronous producer,
 * waiting for the connector's consumer group to commit everything, and whole topics read once.
 */
final class BulkKafka {

    /** A record to send; {@code key} and {@code value} may be null. */
    record Outgoing(String topic, byte[] key, byte[] value) {
    }

    /** Where a sent record landed. */
    record Position(String topic, int partition, long offset) {

        static Position of(ConsumerRecord<?, ?> record) {
            return new Position(record.topic(), record.partition(), record.offset());
        }
    }

    private BulkKafka() {
    }

    /** Sends all records in order (one idempotent producer, batched) and returns where each one landed. */
    static List<Position> sendAll(String bootstrapServers, List<Outgoing> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Outgoing record : records) {
                sent.add(producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value())));
            }
            producer.flush();
        }
        List<Position> positions = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> future : sent) {
            RecordMetadata metadata = future.get();
            positions.add(new Position(metadata.topic(), metadata.partition(), metadata.offset()));
        }
        return positions;
    }

    /**
     * Waits until the consumer group has committed every record now on the topics: the connector commits a command
     * only after its outcome, reply and dead letter are on Kafka, so then every outcome can be read.
     */
    static void awaitCommitted(String bootstrapServers, String groupId, Collection<String> topics, Duration timeout)
            throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(bootstrapServers, topics);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> committed = Map.of();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get()
                        .entrySet().stream().filter(e -> e.getValue() != null)
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                Map<TopicPartition, Long> seen = committed;
                if (ends.entrySet().stream().allMatch(end -> seen.getOrDefault(end.getKey(), 0L) >= end.getValue())) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        Map<TopicPartition, Long> seen = committed;
        throw new AssertionError("the connector did not commit every command within " + timeout + ": "
                + ends.entrySet().stream().map(end -> end.getKey() + " committed " + seen.get(end.getKey()) + " of "
                        + end.getValue()).collect(Collectors.joining(", ")));
    }

    /** Every record on the topic, from the beginning to its end as it is now, read in one pass. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(String bootstrapServers, Collection<String> topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                partitions.addAll(partitions(consumer, topic));
            }
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new AssertionError("topic " + topic + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
