package io.github.ucconnector.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;


import io.github.ucconnector.support.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the events topic from the beginning, all the time, in a thread of its own (as a downstream consumer
 * would), so a test can wait on counts cheaply and look at every outcome event ever written, duplicates included.
 * It survives a broker restart: the Kafka client reconnects by itself. (TopicProbe reads a topic once, to its end,
 * and fails while the broker is down.)
 */
public final class EventTopicReader implements AutoCloseable {

    /** One event on the topic, with the CloudEvents headers the tests look at. */
    public record Event(String commandId, String ceId, String type, String subject, String key, String value,
            int partition, long offset) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Event> events = new ArrayList<>();
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    public EventTopicReader(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.isEmpty()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            if (partitions.isEmpty() && System.nanoTime() > deadline) {
                consumer.close();
                throw new AssertionError("topic " + topic + " does not exist after 30 s");
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::readForever, "events-reader-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void readForever() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Event event = new Event(TopicProbe.header(record, "ce_correlationid"),
                            TopicProbe.header(record, "ce_id"), TopicProbe.header(record, "ce_type"),
                            TopicProbe.header(record, "ce_subject"), TopicProbe.text(record.key()),
                            TopicProbe.text(record.value()), record.partition(), record.offset());
                    synchronized (events) {
                        events.add(event);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) {
            failure.set(e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Every event read so far, in topic order. */
    public List<Event> events() {
        rethrow();
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    public int size() {
        rethrow();
        synchronized (events) {
            return events.size();
        }
    }

    /** Events by command id (ce_correlationid), in topic order. */
    public Map<String, List<Event>> byCommandId() {
        Map<String, List<Event>> byId = new LinkedHashMap<>();
        for (Event event : events()) {
            byId.computeIfAbsent(event.commandId(), id -> new ArrayList<>()).add(event);
        }
        return byId;
    }

    /** How many of the given command ids have at least one outcome event. */
    public long answered(java.util.Collection<String> commandIds) {
        Map<String, List<Event>> byId = byCommandId();
        return commandIds.stream().filter(byId::containsKey).count();
    }

    private void rethrow() {
        Throwable error = failure.get();
        if (error != null) {
            throw new IllegalStateException("the events reader failed", error);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
