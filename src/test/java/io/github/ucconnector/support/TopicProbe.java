package io.github.ucconnector.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.Predicate;
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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The tests' Kafka client: sends records to and reads records from the real broker, as a user's own client would,
 * and looks at consumer groups the way an operator would (committed offsets, members).
 */
public final class TopicProbe implements AutoCloseable {

    /** A record to send; {@code key} and {@code value} may be null. */
    public record Outgoing(String topic, byte[] key, byte[] value) {
    }

    /** Where a record is on its topic. */
    public record Position(String topic, int partition, long offset) {
    }

    private final String bootstrapServers;
    private final KafkaProducer<byte[], byte[]> producer;
    private Admin admin;

    public TopicProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // Batches for bulk sends; room for the oversized records of the hostile-input tests.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void send(String topic, String key, String value, Map<String, String> headers) {
        send(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), headers);
    }

    public void send(String topic, byte[] key, byte[] value, Map<String, String> headers) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, headerValue) -> record.headers().add(name, headerValue.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not send a test record", e);
        }
    }

    /** Every record on the topic that matches, read from the beginning, waiting up to the timeout for {@code count}. */
    public List<ConsumerRecord<byte[], byte[]>> await(String topic, Predicate<ConsumerRecord<byte[], byte[]>> matching,
            int count, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic);
                if (infos != null) {
                    infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            while (found.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (matching.test(record)) {
                        found.add(record);
                    }
                }
            }
            return found;
        }
    }

    /** Sends all records in order, batched, and returns where each one landed. */
    public List<Position> sendAll(List<Outgoing> records) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (Outgoing record : records) {
            sent.add(producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value())));
        }
        producer.flush();
        List<Position> positions = new ArrayList<>(sent.size());
        for (Future<RecordMetadata> future : sent) {
            RecordMetadata metadata = future.get();
            positions.add(new Position(metadata.topic(), metadata.partition(), metadata.offset()));
        }
        return positions;
    }

    /** Every record on the topic, from the beginning to its end as it is now, read in one pass. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
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

    /** The group's committed offsets (the next record it will read), by partition. */
    public Map<TopicPartition, Long> committedOffsets(String groupId) throws Exception {
        return admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /**
     * Waits until the consumer group has committed every record now on the topics: the connector commits a command
     * only after its outcome, reply and dead letter are on Kafka, so then every outcome can be read.
     */
    public void awaitCommitted(String groupId, Collection<String> topics, Duration timeout) throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(topics);
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> committed = Map.of();
        while (System.nanoTime() < deadline) {
            committed = committedOffsets(groupId);
            Map<TopicPartition, Long> seen = committed;
            if (ends.entrySet().stream().allMatch(end -> seen.getOrDefault(end.getKey(), 0L) >= end.getValue())) {
                return;
            }
            Thread.sleep(200);
        }
        Map<TopicPartition, Long> seen = committed;
        throw new AssertionError("the consumer group did not commit every record within " + timeout + ": "
                + ends.entrySet().stream().map(end -> end.getKey() + " committed " + seen.get(end.getKey()) + " of "
                        + end.getValue()).collect(Collectors.joining(", ")));
    }

    /** The offset after the last record of each partition of the topics. */
    public Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                partitions.addAll(partitions(consumer, topic));
            }
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    /** An admin client on the same broker, for what the helpers above do not cover (e.g. group members). */
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        }
        return admin;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new AssertionError("topic " + topic + " does not exist");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024));
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        producer.close(Duration.ofSeconds(5));
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
