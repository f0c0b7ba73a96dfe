package io.github.ucconnector.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.ucconnector.api.Failure;
import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.command.ReceivedRecord;
import io.github.ucconnector.event.EventRecord;
import io.github.ucconnector.metrics.ConnectorMetrics;
import io.github.ucconnector.tracing.TraceHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.common.TopicPartition;

/**
 * Commits commands only once their outcomes are on Kafka, without waiting for Kafka after every command.
 * <p>
 * The outcome records of a command (event, private reply, dead letter) are collected per command partition; they
 * go out together, in order, when the last record the consumer polled from that partition is done, when the
 * oldest of them has waited {@link #MAX_WAIT} (a long poll, or commands paced by the API budget), or when Camel is
 * stopping; only then are those commands committed. One wait per partition and poll instead of one per
 * command; order per partition, and so per conversation, is kept because one producer sends them in sequence.
 * <p>
 * If the connector stops before a batch is out, its commands are not committed and come again: the ledger already
 * holds the outcome of every start, join and leave among them (written when the outcome was made), so a
 * redelivery republishes that outcome, same event id, and calls UltraCart no second time.
 */
public final class OutcomeBatches {

    /** Exchange property: the batch that must go out now; its records are then the message body. */
    private static final String BATCH = "ucOutcomeBatch";
    /** How long an outcome may wait for the commands after it before its batch goes out anyway. */
    private static final Duration MAX_WAIT = Duration.ofMillis(100);

    private final Map<TopicPartition, Batch> batches = new ConcurrentHashMap<>();
    private final Topics topics;
    private final DeadLetters deadLetters;
    private final ConnectorMetrics metrics;

    /** Where the outcome records go. */
    public record Topics(String events, String replies, String deadLetters) {
    }

    /** A command whose outcome records are collected: committed, and counted, when they are on Kafka. */
    private record Finished(KafkaManualCommit commit, CommandFlow.LedgerWrite ledgerWrite, CommandType type, Failure failure,
            boolean replayed, String topic) {
    }

    /** The commands of one partition not yet committed, and the records that must be on Kafka first. */
    private static final class Batch {
        private final List<Message> records = new ArrayList<>();
        private final List<Finished> commands = new ArrayList<>();
        private final long startedNanos = System.nanoTime();
        private long offset = -1;
        private String exchangeId;

        private boolean waitedTooLong() {
            return System.nanoTime() - startedNanos >= MAX_WAIT.toNanos();
        }
    }

    public OutcomeBatches(Topics topics, DeadLetters deadLetters, ConnectorMetrics metrics) {
        this.topics = topics;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    /** Route step: the outcome event in the body joins the batch, for the events topic. */
    public void addEvent(Exchange exchange) {
        EventRecord event = exchange.getMessage().getBody(EventRecord.class);
        add(exchange, topics.events(), event.key(), event.headers(), event.value());
    }

    /** Route step: the private reply in the body joins the batch, for the reply topic. */
    public void addReply(Exchange exchange) {
        EventRecord reply = exchange.getMessage().getBody(EventRecord.class);
        add(exchange, topics.replies(), reply.key(), reply.headers(), reply.value());
    }

    /** Route step: the failed command's record, as it came, with why it failed, joins the batch for the dead letters. */
    public void addDeadLetter(Exchange exchange) {
        CommandFlow flow = CommandFlow.of(exchange);
        ReceivedRecord record = flow.record();
        add(exchange, topics.deadLetters(), record.key(), deadLetters.headers(flow), record.value());
    }

    /**
     * A message of its own for each record. The batch goes out with byte-array serializers (a dead letter keeps the
     * command's bytes), so text becomes UTF-8 here rather than in the platform's default charset.
     */
    private void add(Exchange exchange, String topic, Object key, Map<String, ?> headers, Object value) {
        Message record = new DefaultMessage(exchange.getContext());
        record.setHeaders(new HashMap<>(headers));
        record.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic);
        if (key != null) {
            record.setHeader(KafkaConstants.KEY, key instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : key);
        }
        record.setBody(value instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : value);
        // On the command's thread, whose current span is the command's: each record carries its own trace.
        TraceHeaders.inject(record.getHeaders());
        batchOf(CommandFlow.of(exchange), exchange.getExchangeId()).records.add(record);
    }

    /**
     * Route step, last for every command: the command joins its partition's batch. When the batch must go out now,
     * {@link #hasRecordsToSend} holds and the message body holds its records, for the Kafka producer.
     */
    public void finish(Exchange exchange) {
        CommandFlow flow = CommandFlow.of(exchange);
        if (flow.offsetCommit() == null) {
            throw new IllegalStateException("the command record has no commit handle: is allowManualCommit on?");
        }
        Batch batch = batchOf(flow, exchange.getExchangeId());
        batch.commands.add(new Finished(flow.offsetCommit(), flow.outcomeRecorded(), flow.type(), flow.failure(),
                flow.replayed(), flow.record().topic()));
        if (flow.endsPartitionPoll() || batch.waitedTooLong() || exchange.getContext().isStopping()) {
            sendNow(exchange);
        }
    }

    /** Route predicate: is there a batch to send in the message body? */
    public boolean hasRecordsToSend(Exchange exchange) {
        return exchange.getProperty(BATCH) != null;
    }

    /**
     * Route step before a command is left uncommitted to come again (Kafka, credentials or budget trouble): the
     * commands before it in the batch go out and are committed now, so only this one is redelivered.
     */
    public void sendNow(Exchange exchange) {
        CommandFlow flow = CommandFlow.of(exchange);
        Batch batch = flow == null ? null : batches.remove(flow.record().topicPartition());
        if (batch != null) {
            exchange.setProperty(BATCH, batch);
            exchange.getMessage().setBody(batch.records);
        }
    }

    /**
     * Route step after the batch's records are on Kafka: waits for the ledger writes of its commands, then commits
     * them in order (the consumer sends the offsets to Kafka after the poll).
     */
    public void committed(Exchange exchange) {
        Batch batch = exchange.getProperty(BATCH, Batch.class);
        exchange.removeProperty(BATCH);
        for (Finished command : batch.commands) {
            if (command.ledgerWrite() != null) {
                command.ledgerWrite().await();
            }
        }
        for (Finished command : batch.commands) {
            command.commit().commit();
            count(command);
        }
    }

    private Batch batchOf(CommandFlow flow, String exchangeId) {
        ReceivedRecord record = flow.record();
        Batch batch = batches.compute(record.topicPartition(), (partition, current) ->
                current == null || isRedelivery(current, record, exchangeId) ? new Batch() : current);
        batch.offset = record.offset();
        batch.exchangeId = exchangeId;
        return batch;
    }

    /**
     * The consumer went back: an earlier offset, or the same record in a new exchange. What was collected from that
     * offset on is being done again, so it is dropped (a command adds several records in one exchange).
     */
    private static boolean isRedelivery(Batch batch, ReceivedRecord record, String exchangeId) {
        return record.offset() < batch.offset || record.offset() == batch.offset && !exchangeId.equals(batch.exchangeId);
    }

    private void count(Finished command) {
        if (command.failure() != null) {
            // The failure route put the record on the dead-letter topic.
            metrics.commandFailed(command.type(), command.failure().category());
            metrics.deadLettered(command.topic(), command.failure().category());
        } else if (command.replayed()) {
            metrics.commandReplayed(command.type());
        } else {
            metrics.commandSucceeded(command.type());
        }
    }
}
