package io.github.ucconnector.kafka;

import io.github.ucconnector.api.Failure;
import io.github.ucconnector.command.CommandExchange;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.command.ReceivedRecord;
import io.github.ucconnector.metrics.ConnectorMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Last step for every command: its record is committed only once its outcome is on Kafka. The outcome is final then,
 * so this is where it is counted. The commit is asynchronous (application.properties): this notes the offset, and
 * the consumer commits it after the poll.
 */
public final class OffsetCommits {

    private final ConnectorMetrics metrics;

    public OffsetCommits(ConnectorMetrics metrics) {
        this.metrics = metrics;
    }

    public void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getProperty(CommandExchange.OFFSET_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("the command record has no commit handle: is allowManualCommit on?");
        }
        commit.commit();
        count(exchange);
    }

    private void count(Exchange exchange) {
        CommandType type = exchange.getProperty(CommandExchange.COMMAND_TYPE, CommandType.class);
        Failure failure = exchange.getProperty(CommandExchange.FAILURE, Failure.class);
        if (failure != null) {
            // The failure route wrote the record to the dead-letter topic before committing it.
            metrics.commandFailed(type, failure.category());
            metrics.deadLettered(exchange.getProperty(CommandExchange.RECEIVED_RECORD, ReceivedRecord.class).topic(),
                    failure.category());
        } else if (Boolean.TRUE.equals(exchange.getProperty(CommandExchange.REPLAYED))) {
            metrics.commandReplayed(type);
        } else {
            metrics.commandSucceeded(type);
        }
    }
}
