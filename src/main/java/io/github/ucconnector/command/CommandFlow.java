package io.github.ucconnector.command;

import java.util.Objects;

import io.github.ucconnector.api.Failure;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * One command on its way through the routes, kept as the exchange property {@link #PROPERTY}: the record as it came
 * from Kafka and what became of it so far. What the record said is fixed; the command, its outcome or failure, the
 * attempts and the ledger write are learnt on the way.
 */
public final class CommandFlow {

    /** The exchange property that holds the flow; route steps bind it with {@code @ExchangeProperty}. */
    public static final String PROPERTY = "ucCommandFlow";

    private final ReceivedRecord record;
    private final KafkaManualCommit offsetCommit;
    private final boolean endsPartitionPoll;
    private final CommandType type;
    private String commandId;
    private String declaredConversationUuid;
    private Command command;
    private CommandOutcome outcome;
    private boolean replayed;
    private LedgerWrite outcomeRecorded;
    private String claimAttempt;
    private Failure failure;
    private int attempts = 1;

    /**
     * @param offsetCommit      the record's commit handle, kept apart from headers because headers are cleared
     *                          before HTTP
     * @param endsPartitionPoll whether the record is the last of its partition in its poll: the outcomes collected
     *                          for the partition go out then, and the records are committed
     * @param type              the command type, known from the topic before the value is read
     * @param fallbackId        the command id until the value is read: the {@code ce_id} header, else topic,
     *                          partition and offset
     */
    public CommandFlow(ReceivedRecord record, KafkaManualCommit offsetCommit, boolean endsPartitionPoll,
            CommandType type, String fallbackId) {
        this.record = Objects.requireNonNull(record);
        this.offsetCommit = offsetCommit;
        this.endsPartitionPoll = endsPartitionPoll;
        this.type = Objects.requireNonNull(type);
        this.commandId = fallbackId;
    }

    /** The flow of the command an exchange carries, or {@code null} when it carries none. */
    public static CommandFlow of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, CommandFlow.class);
    }

    /**
     * A route predicate on the flow: a Predicate bean ({@code ref:}), because a {@code method:} predicate copies the
     * exchange on every call.
     */
    public static Predicate predicate(java.util.function.Predicate<CommandFlow> test) {
        return exchange -> test.test(of(exchange));
    }

    /** The record as it came from Kafka, for the dead letter. */
    public ReceivedRecord record() {
        return record;
    }

    public KafkaManualCommit offsetCommit() {
        return offsetCommit;
    }

    public boolean endsPartitionPoll() {
        return endsPartitionPoll;
    }

    public CommandType type() {
        return type;
    }

    /** The command id: from the value, else the {@code ce_id} header, else topic, partition and offset. */
    public String commandId() {
        return commandId;
    }

    /** The validated command, or {@code null} while it is not read or when it was rejected. */
    public Command command() {
        return command;
    }

    /** The sender's own id, named by a command that is rejected for something else. */
    public void identifiedAs(String declaredId) {
        this.commandId = declaredId;
    }

    /** The valid conversation uuid named by a command that is rejected for something else. */
    public void concerns(String conversationUuid) {
        this.declaredConversationUuid = conversationUuid;
    }

    /**
     * The conversation the command is about: the read command's, else the one a rejected record still names;
     * {@code null} when neither names one (a start, or a record without a valid {@code conversation_uuid}).
     */
    public String conversationUuid() {
        return command != null ? command.conversationUuid() : declaredConversationUuid;
    }

    public void read(Command read) {
        this.command = read;
        this.commandId = read.commandId();
    }

    /**
     * The outcome of the API call. It may hold secrets (agent-auth, upload-url) in its reply data, which is never
     * logged or published except on the reply topic.
     */
    public CommandOutcome outcome() {
        return outcome;
    }

    public void succeeded(CommandOutcome result) {
        this.outcome = result;
    }

    /** {@code true} when the command's outcome came from the ledger, without an API call. */
    public boolean replayed() {
        return replayed;
    }

    public void replayedFromLedger() {
        this.replayed = true;
    }

    /** A ledger write under way, to wait for before the command is committed. */
    @FunctionalInterface
    public interface LedgerWrite {
        /** Returns once the entry is on Kafka; throws Kafka's failure when it cannot be written. */
        void await();
    }

    /** The ledger write of the command's outcome under way, or {@code null} when there is none. */
    public LedgerWrite outcomeRecorded() {
        return outcomeRecorded;
    }

    public void recording(LedgerWrite ledgerWrite) {
        this.outcomeRecorded = ledgerWrite;
    }

    /** The attempt that claimed this start in the ledger, or {@code null} when it claimed none. */
    public String claimAttempt() {
        return claimAttempt;
    }

    public void claimed(String attempt) {
        this.claimAttempt = attempt;
    }

    /** Why the command failed, or {@code null} while it has not. */
    public Failure failure() {
        return failure;
    }

    public void failed(Failure why) {
        this.failure = why;
    }

    /** How many times the failing step ran: one, plus the retries. */
    public int attempts() {
        return attempts;
    }

    public void retrying() {
        attempts++;
    }
}
