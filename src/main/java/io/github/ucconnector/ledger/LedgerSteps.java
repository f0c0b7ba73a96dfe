package io.github.ucconnector.ledger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.api.UltraCartApiException;
import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandFailures;
import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.command.ReceivedRecord;
import io.github.ucconnector.event.EventRecord;
import io.github.ucconnector.redrive.RedriveHeaders;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.common.TopicPartition;

/**
 * The command route's use of the {@link CommandLedger}: a start, join or leave whose outcome is known is answered
 * with that outcome again (same event id) instead of a second API call; a start that may have reached UltraCart
 * without a known outcome is never sent again.
 */
public final class LedgerSteps {

    private static final String CONTENT_TYPE = "content-type";

    /** The generation of a consumer that is in no group generation (it left, or is between generations). */
    private static final int NO_GENERATION = -1;

    private final CommandLedger ledger;
    /** Per command partition, where its next record is when nothing came in between, and in which generation. */
    private final Map<TopicPartition, NextRecord> nextRecords = new ConcurrentHashMap<>();

    /**
     * The offset of a partition's next record, and the consumer group generation its last record came in. Within
     * one generation a partition belongs to one member only; to go to another instance and come back it takes two
     * rebalances, each a new generation.
     */
    private record NextRecord(long offset, int generation) {
    }

    public LedgerSteps(CommandLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Route predicate: the command's outcome is already on Kafka. A record that does not follow the last one this
     * instance had from its partition in the same consumer group generation (the first after a start, a rebalance
     * or a seek back) first waits for the ledger to hold everything written so far: another instance may have had
     * the partition in between and written its entry only a moment ago. The offset alone does not tell: a partition
     * can go to another instance and come back at the very record this instance had left, for example when each
     * instance hands the record back for want of budget after claiming it (pending, then released).
     */
    public boolean isDone(CommandFlow flow) {
        Command command = flow.command();
        if (!command.type().changesConversations()) {
            return false;
        }
        if (!followsTheLastOne(flow.record(), generation(flow))) {
            ledger.awaitEntriesWrittenSoFar();
        }
        return ledger.state(key(command)).filter(LedgerEntry.DONE::equals).isPresent();
    }

    private boolean followsTheLastOne(ReceivedRecord record, int generation) {
        NextRecord expected = nextRecords.put(record.topicPartition(), new NextRecord(record.offset() + 1, generation));
        return generation != NO_GENERATION && new NextRecord(record.offset(), generation).equals(expected);
    }

    /**
     * The consumer group generation the command consumer is in, asked on the consumer's own thread (Camel handles
     * a record on the thread that polled it); unknown without camel-kafka's commit handle.
     */
    private static int generation(CommandFlow flow) {
        return flow.offsetCommit() instanceof DefaultKafkaManualCommit commit
                ? commit.getConsumer().groupMetadata().generationId() : NO_GENERATION;
    }

    /**
     * The recorded outcome event, to publish again. An outcome Kafka never acknowledged (the broker went away after
     * the call) is written to the ledger again, and the command is committed only once it is there.
     */
    public EventRecord replayOutcome(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow) {
        String commandKey = key(flow.command());
        Optional<LedgerEntry> unconfirmed = ledger.unconfirmedOutcome(commandKey);
        LedgerEntry entry = unconfirmed.orElseGet(() -> ledger.readDone(commandKey));
        unconfirmed.ifPresent(outcome -> {
            Future<?> written = ledger.writeAsync(commandKey, outcome);
            flow.recording(() -> CommandLedger.await(written));
        });
        flow.replayedFromLedger();
        return new EventRecord(entry.eventKey(), entry.eventHeaders(), entry.eventValue());
    }

    /**
     * Before the API call: a start is marked pending by this attempt, so that if the connector stops before the
     * outcome is known the start is not sent a second time. A start found pending fails as {@code unknown_outcome},
     * unless the attempt that claimed it certainly made no call (see {@link CommandLedger#mayClaim}), or an operator
     * redrove it with the override: then it makes one more call per dead letter (README: "Redriving dead letters").
     * <p>
     * An attempt whose claim Kafka did not acknowledge in time makes no call: it releases its claim, so a claim
     * that still lands later (the broker was away) does not make the start look as if it may have been sent.
     */
    public void claim(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow) {
        Command command = flow.command();
        if (command.type().safeToRepeat()) {
            return;
        }
        String commandKey = key(command);
        Optional<String> redrivenFrom = RedriveHeaders.unknownStartOverride(flow.record().headers());
        if (!ledger.mayClaim(commandKey)
                && redrivenFrom.filter(deadLetter -> ledger.allowsOneMoreCall(commandKey, deadLetter)).isEmpty()) {
            throw new UltraCartApiException(FailureCategory.UNKNOWN_OUTCOME, null, null, null,
                    "an earlier attempt of this start command may have reached UltraCart and its outcome is unknown;"
                            + " it is not sent again, so that no second conversation is started");
        }
        String attempt = UUID.randomUUID().toString();
        try {
            ledger.write(commandKey, redrivenFrom.map(deadLetter -> LedgerEntry.pendingRedriven(attempt, deadLetter))
                    .orElseGet(() -> LedgerEntry.pending(attempt)));
        } catch (RuntimeException notClaimed) {
            ledger.release(commandKey, attempt);
            throw notClaimed;
        }
        flow.claimed(attempt);
    }

    /**
     * With the outcome event ready to send: remember it for redeliveries and re-sent commands. The ledger write runs
     * while the event waits to be sent; the command is committed only when both are on Kafka
     * (the outcome batch). Should the connector stop between the two, the ledger
     * already knows the outcome and a redelivery publishes it.
     */
    public void recordOutcome(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow, @Body EventRecord event) {
        Command command = flow.command();
        if (!command.type().changesConversations()) {
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        event.headers().forEach((name, value) -> {
            if (name.startsWith("ce_") || CONTENT_TYPE.equals(name)) {
                headers.put(name, value);
            }
        });
        Future<?> written = ledger.writeAsync(key(command), LedgerEntry.done(event.key(), headers, event.value()));
        flow.recording(() -> CommandLedger.await(written));
    }

    /** In the failure route: a start that certainly never reached UltraCart may be sent again later. */
    public void releaseFailed(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught) {
        if (flow != null && flow.claimAttempt() != null && !CommandFailures.mayHaveActed(caught)) {
            ledger.release(key(flow.command()), flow.claimAttempt());
        }
    }

    /** Command ids are the sender's; the type keeps a start and a join with the same id apart. */
    static String key(Command command) {
        return command.type().id() + ":" + command.commandId();
    }
}
