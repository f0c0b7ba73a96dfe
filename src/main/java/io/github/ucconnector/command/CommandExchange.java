package io.github.ucconnector.command;

/** Names of the exchange properties a command carries through the routes. */
public final class CommandExchange {

    /** The {@link ReceivedRecord} as it came from Kafka, for the dead letter. */
    public static final String RECEIVED_RECORD = "ucReceivedRecord";
    /** The {@link CommandType}, known from the topic before the value is read. */
    public static final String COMMAND_TYPE = "ucCommandType";
    /** The command id: from the value, else the {@code ce_id} header, else topic, partition and offset. */
    public static final String COMMAND_ID = "ucCommandId";
    /** The validated {@link Command}. */
    public static final String COMMAND = "ucCommand";
    /** The record's offset commit handle, kept apart from headers because headers are cleared before HTTP. */
    public static final String OFFSET_COMMIT = "ucOffsetCommit";
    /**
     * The result of the API call: kept apart from the body, which the private reply replaces. It may hold secrets
     * (agent-auth, upload-url) and is never logged or published as a whole except on the reply topic.
     */
    public static final String RESULT = "ucResult";
    /** The {@link io.github.ucconnector.api.Failure} of a failed command. */
    public static final String FAILURE = "ucFailure";
    /** How many times the failing step ran. */
    public static final String ATTEMPTS = "ucAttempts";
    /**
     * {@code true} on the last record of its partition in a poll: the outcomes collected for the partition go out
     * then, and the records are committed.
     */
    public static final String ENDS_PARTITION_POLL = "ucEndsPartitionPoll";
    /** The ledger write of the command's outcome under way, a {@link java.util.concurrent.Future}. */
    public static final String OUTCOME_RECORDED = "ucOutcomeRecorded";
    /** {@code true} when the command's outcome came from the ledger, without an API call. */
    public static final String REPLAYED = "ucReplayed";

    private CommandExchange() {
    }
}
