package io.github.ucconnector.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.support.Commands;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes commands to the connector's command topics as a user's application would, and remembers each one. Sends
 * are asynchronous (the producer buffers them, also while the broker is down); {@link #flush()} waits for all.
 */
public final class CommandFeed implements AutoCloseable {

    /** A command that was sent. {@code queueUuid} is set for start commands and appears in their API request body. */
    public record SentCommand(String commandId, String type, String conversationUuid, String queueUuid) {
    }

    private final ConnectorProcess connector;
    private final KafkaProducer<byte[], byte[]> producer;
    private final List<SentCommand> sent = new ArrayList<>();
    private final List<Future<RecordMetadata>> pending = new ArrayList<>();

    public CommandFeed(String bootstrapServers, ConnectorProcess connector) {
        this.connector = connector;
        // Not TopicProbe's producer, which waits for each record: this one keeps buffering while the broker is down.
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * A start command with a {@code conversation_webchat_queue_uuid} of its own: the sandbox ignores the field, but it
     * is in the API request body, so each PUT the sandbox received can be traced to its command.
     */
    public SentCommand start(String commandId) {
        String queueUuid = UUID.randomUUID().toString();
        send(Setting.TOPIC_COMMAND_START, commandId,
                Commands.start(commandId).withParticipants("arn:it:customer:" + commandId).withQueue(queueUuid)
                        .toJson());
        return remember(new SentCommand(commandId, "start", null, queueUuid));
    }

    public SentCommand join(String commandId, String conversationUuid) {
        send(Setting.TOPIC_COMMAND_JOIN, conversationUuid,
                Commands.join(commandId, conversationUuid).withLanguage("en").toJson());
        return remember(new SentCommand(commandId, "join", conversationUuid, null));
    }

    public SentCommand leave(String commandId, String conversationUuid) {
        send(Setting.TOPIC_COMMAND_LEAVE, conversationUuid, Commands.leave(commandId, conversationUuid).toJson());
        return remember(new SentCommand(commandId, "leave", conversationUuid, null));
    }

    /** Waits until the broker has acknowledged every command sent so far. */
    public void flush() {
        producer.flush();
        synchronized (pending) {
            for (Future<RecordMetadata> future : pending) {
                try {
                    future.get();
                } catch (Exception e) {
                    throw new IllegalStateException("a command could not be written to Kafka", e);
                }
            }
            pending.clear();
        }
    }

    public List<SentCommand> sent() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    public List<String> sentIds() {
        return sent().stream().map(SentCommand::commandId).toList();
    }

    private void send(Setting topic, String key, String value) {
        Future<RecordMetadata> future = producer.send(new ProducerRecord<>(connector.topic(topic),
                key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
        synchronized (pending) {
            pending.add(future);
        }
    }

    private SentCommand remember(SentCommand command) {
        synchronized (sent) {
            sent.add(command);
        }
        return command;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
