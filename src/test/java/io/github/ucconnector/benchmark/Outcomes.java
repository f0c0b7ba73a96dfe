package io.github.ucconnector.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads an events topic from its current end and notes, for every outcome event, when it arrived (by its
 * {@code ce_correlationid}), its type, and the order of the events of each key.
 */
final class Outcomes implements AutoCloseable {

    /**
     * An outcome event as the harness saw it; {@code producedMillis} is the record's timestamp, set by the system's
     * producer when it sent the event, and {@code arrivedMillis} the wall clock when the harness read it.
     */
    record Outcome(String commandId, String type, String key, long arrivedNanos, long producedMillis, long arrivedMillis) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Outcome> byCommand = new ConcurrentHashMap<>();
    private final Map<String, List<String>> commandsByKey = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean running = true;

    Outcomes(String bootstrapServers, String topic) {
        // Not the tests' TopicProbe: a short fetch wait, as each event's arrival time is measured.
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        reader = new Thread(this::read, "outcomes-" + topic);
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits until every given command has an outcome; returns the arrival time of the last one. */
    long awaitAll(Collection<String> commandIds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = 0;
        for (String id : commandIds) {
            Outcome outcome;
            while ((outcome = byCommand.get(id)) == null) {
                if (System.nanoTime() > deadline) {
                    long missing = commandIds.stream().filter(c -> !byCommand.containsKey(c)).count();
                    throw new IllegalStateException(missing + " of " + commandIds.size()
                            + " commands have no outcome after " + timeout + " (e.g. " + id + ")");
                }
                Thread.sleep(2);
            }
            last = Math.max(last, outcome.arrivedNanos());
        }
        return last;
    }

    Outcome get(String commandId) {
        return byCommand.get(commandId);
    }

    /** The command ids of the events with this key, in the order of the events topic. */
    List<String> orderOf(String key) {
        return commandsByKey.getOrDefault(key, List.of());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        reader.join(10_000);
    }

    private void read() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    String id = header(record, "ce_correlationid");
                    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                    if (id == null) {
                        continue;
                    }
                    byCommand.putIfAbsent(id, new Outcome(id, header(record, "ce_type"), key, now, record.timestamp(), System.currentTimeMillis()));
                    if (key != null) {
                        // One reader thread appends: the lists are only read after the run.
                        commandsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
