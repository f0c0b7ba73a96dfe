package io.github.ucconnector.ledger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.api.FailureClassifier;
import io.github.ucconnector.api.UltraCartApiException;
import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandExchange;
import io.github.ucconnector.command.ReceivedRecord;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.TopicPartition;

/**
 * The command route's use of the {@link CommandLedger}: a start, join or leave whose outcome is known is answered
 * with that outcome again (same event id) instead of a second API call; a start that may have reached UltraCart
 * without a known outcome is never sent again.
 */
public final class LedgerSteps {

    private static final String CONTENT_TYPE = "content-type";

    private final CommandLedger ledger;
    /** Per command partition, the offset its next record has when nothing came in between. */
    private final Map<TopicPartition, Long> nextOffsets = new ConcurrentHashMap<>();

    public LedgerSteps(CommandLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Route predicate: the command's outcome is already on Kafka. A record that does not follow the last one this
     * instance had from its partition (the first after a start, a hand-over or a seek back) first waits for the
     * ledger to hold everything written so far: the previous owner of the partition may have written its entry
     * only a moment ago.
     */
    public boolean isDone(Exchange exchange) {
        Command command = command(exchange);
        if (!command.type().changesConversations()) {
            return false;
        }
        ReceivedRecord record = exchange.getProperty(CommandExchange.RECEIVED_RECORD, ReceivedRecord.class);
        if (record != null && !followsTheLastOne(record)) {
            ledger.awaitEntriesWrittenSoFar();
        }
        return ledger.state(key(command)).filter(LedgerEntry.DONE::equals).isPresent();
    }

    private boolean followsTheLastOne(ReceivedRecord record) {
        Long expected = nextOffsets.put(record.topicPartition(), record.offset() + 1);
        return expected != null && expected == record.offset();
    }

    /** Replaces the message with the recorded outcome event. */
    public void replayOutcome(Exchange exchange) {
        LedgerEntry entry = ledger.readDone(key(command(exchange)));
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.getHeaders().putAll(entry.eventHeaders());
        if (entry.eventKey() != null) {
            message.setHeader(KafkaConstants.KEY, entry.eventKey());
        }
        message.setBody(entry.eventValue());
        exchange.setProperty(CommandExchange.REPLAYED, true);
    }

    /**
     * Before the API call: a start is marked pending, so that if the connector stops before the outcome is known
     * the start is not sent a second time. A start found pending fails as {@code unknown_outcome}.
     */
    public void claim(Exchange exchange) {
        Command command = command(exchange);
        if (command.type().safeToRepeat()) {
            return;
        }
        if (ledger.state(key(command)).isPresent()) {
            throw new UltraCartApiException(FailureCategory.UNKNOWN_OUTCOME, null, null, null,
                    "an earlier attempt of this start command may have reached UltraCart and its outcome is unknown;"
                            + " it is not sent again, so that no second conversation is started");
        }
        ledger.write(key(command), LedgerEntry.pending());
    }

    /**
     * With the outcome event ready to send: remember it for redeliveries and re-sent commands. The ledger write runs
     * while the event waits to be sent; the command is committed only when both are on Kafka
     * ({@link io.github.ucconnector.kafka.OutcomeBatches}). Should the connector stop between the two, the ledger
     * already knows the outcome and a redelivery publishes it.
     */
    public void recordOutcome(Exchange exchange) {
        Command command = command(exchange);
        if (!command.type().changesConversations()) {
            return;
        }
        Message message = exchange.getMessage();
        Map<String, String> headers = new LinkedHashMap<>();
        message.getHeaders().forEach((name, value) -> {
            if (name.startsWith("ce_") || CONTENT_TYPE.equals(name)) {
                headers.put(name, String.valueOf(value));
            }
        });
        exchange.setProperty(CommandExchange.OUTCOME_RECORDED, ledger.writeAsync(key(command), LedgerEntry.done(
                message.getHeader(KafkaConstants.KEY, String.class), headers, message.getBody(String.class))));
    }

    /** In the failure route: a start that certainly never reached UltraCart may be sent again later. */
    public void releaseFailed(Exchange exchange) {
        Command command = exchange.getProperty(CommandExchange.COMMAND, Command.class);
        if (command != null && !command.type().safeToRepeat()
                && !FailureClassifier.mayHaveActed(FailureClassifier.caught(exchange))
                && ledger.state(key(command)).filter(LedgerEntry.PENDING::equals).isPresent()) {
            ledger.forget(key(command));
        }
    }

    /** Command ids are the sender's; the type keeps a start and a join with the same id apart. */
    static String key(Command command) {
        return command.type().id() + ":" + command.commandId();
    }

    private static Command command(Exchange exchange) {
        return exchange.getProperty(CommandExchange.COMMAND, Command.class);
    }
}
