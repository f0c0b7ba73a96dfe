package io.github.ucconnector.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import io.github.ucconnector.api.Failure;
import io.github.ucconnector.command.CommandExchange;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.command.ReceivedRecord;
import io.github.ucconnector.ledger.CommandLedger;
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

    /** Exchange property: {@code true} when the batch must go out now, its records are then the message body. */
    public static final String SEND_NOW = "ucSendOutcomes";

    private static final String BATCH = "ucOutcomeBatch";
    /** How long an outcome may wait for the commands after it before its batch goes out anyway. */
    private static final Duration MAX_WAIT = Duration.ofMillis(100);

    private final Map<TopicPartition, Batch> batches = new ConcurrentHashMap<>();
    private final ConnectorMetrics metrics;

    /** A command whose outcome records are collected: committed, and counted, when they are on Kafka. */
    private record Finished(KafkaManualCommit commit, Future<?> ledgerWrite, CommandType type, Failure failure,
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

    public OutcomeBatches(ConnectorMetrics metrics) {
        this.metrics = metrics;
    }

    /** Route step: the message, addressed to its topic by the {@code kafka.OVERRIDE_TOPIC} header, joins the batch. */
    public void add(Exchange exchange) {
        if (exchange.getMessage().getHeader(KafkaConstants.OVERRIDE_TOPIC) == null) {
            throw new IllegalStateException("an outcome record needs the kafka.OVERRIDE_TOPIC header");
        }
        // A message of its own, as the command's message is reused for its next record. The batch goes out with
        // byte-array serializers (a dead letter keeps the command's bytes), so text becomes UTF-8 here rather than
        // in the platform's default charset.
        Message source = exchange.getMessage();
        Message record = new DefaultMessage(exchange.getContext());
        record.setHeaders(new HashMap<>(source.getHeaders()));
        record.setBody(source.getBody() instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                : source.getBody());
        TraceHeaders.inject(record.getHeaders());
        if (record.getHeader(KafkaConstants.KEY) instanceof String key) {
            record.setHeader(KafkaConstants.KEY, key.getBytes(StandardCharsets.UTF_8));
        }
        batchOf(exchange).records.add(record);
    }

    /**
     * Route step, last for every command: the command joins its partition's batch. When the batch must go out now,
     * {@link #SEND_NOW} is set and the message body holds its records, for the Kafka producer.
     */
    public void finish(Exchange exchange) {
        KafkaManualCommit commit = exchange.getProperty(CommandExchange.OFFSET_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("the command record has no commit handle: is allowManualCommit on?");
        }
        ReceivedRecord record = exchange.getProperty(CommandExchange.RECEIVED_RECORD, ReceivedRecord.class);
        Batch batch = batchOf(exchange);
        batch.commands.add(new Finished(commit,
                exchange.getProperty(CommandExchange.OUTCOME_RECORDED, Future.class),
                exchange.getProperty(CommandExchange.COMMAND_TYPE, CommandType.class),
                exchange.getProperty(CommandExchange.FAILURE, Failure.class),
                Boolean.TRUE.equals(exchange.getProperty(CommandExchange.REPLAYED)), record.topic()));
        boolean last = Boolean.TRUE.equals(exchange.getProperty(CommandExchange.ENDS_PARTITION_POLL));
        if (last || batch.waitedTooLong() || exchange.getContext().isStopping()) {
            sendNow(exchange);
        } else {
            exchange.setProperty(SEND_NOW, false);
        }
    }

    /**
     * Route step before a command is left uncommitted to come again (Kafka, credentials or budget trouble): the
     * commands before it in the batch go out and are committed now, so only this one is redelivered.
     */
    public void sendNow(Exchange exchange) {
        ReceivedRecord record = exchange.getProperty(CommandExchange.RECEIVED_RECORD, ReceivedRecord.class);
        Batch batch = record == null ? null : batches.remove(record.topicPartition());
        exchange.setProperty(SEND_NOW, batch != null);
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
                CommandLedger.await(command.ledgerWrite());
            }
        }
        for (Finished command : batch.commands) {
            command.commit().commit();
            count(command);
        }
    }

    private Batch batchOf(Exchange exchange) {
        ReceivedRecord record = exchange.getProperty(CommandExchange.RECEIVED_RECORD, ReceivedRecord.class);
        Batch batch = batches.compute(record.topicPartition(), (partition, current) ->
                current == null || isRedelivery(current, record, exchange) ? new Batch() : current);
        batch.offset = record.offset();
        batch.exchangeId = exchange.getExchangeId();
        return batch;
    }

    /**
     * The consumer went back: an earlier offset, or the same record in a new exchange. What was collected from that
     * offset on is being done again, so it is dropped (a command adds several records in one exchange).
     */
    private static boolean isRedelivery(Batch batch, ReceivedRecord record, Exchange exchange) {
        return record.offset() < batch.offset
                || record.offset() == batch.offset && !exchange.getExchangeId().equals(batch.exchangeId);
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
