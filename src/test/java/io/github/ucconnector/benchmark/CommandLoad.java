package io.github.ucconnector.benchmark;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces benchmark commands and remembers when each was handed to the producer. */
final class CommandLoad implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Function<String, String> topicOfType;
    private final int partitions;
    private final Map<String, Long> sentNanos = new ConcurrentHashMap<>();

    /** @param topicOfType the command topic for start, join and leave */
    CommandLoad(String bootstrapServers, Function<String, String> topicOfType, int partitions) {
        this.topicOfType = topicOfType;
        this.partitions = partitions;
        // Not the tests' TopicProbe: no lingering, each record timed from its own send, to an explicit partition.
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "0"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** As fast as the producer takes them; returns when all are acknowledged. */
    void sendAll(List<BenchCommand> commands) {
        commands.forEach(this::send);
        producer.flush();
    }

    /** At a fixed rate, each command at its own scheduled time (no coordinated omission: late sends catch up). */
    void sendAtRate(List<BenchCommand> commands, int perSecond) {
        long start = System.nanoTime();
        long interval = 1_000_000_000L / perSecond;
        for (int i = 0; i < commands.size(); i++) {
            long due = start + i * interval;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            send(commands.get(i));
        }
        producer.flush();
    }

    long sentNanos(String commandId) {
        return sentNanos.get(commandId);
    }

    @Override
    public void close() {
        producer.close();
    }

    private void send(BenchCommand command) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topicOfType.apply(command.type()),
                command.slot() % partitions, command.key().getBytes(StandardCharsets.UTF_8), command.json().getBytes(StandardCharsets.UTF_8));
        sentNanos.put(command.id(), System.nanoTime());
        producer.send(record);
    }
}
