package io.github.ucconnector.kafka;

import io.github.ucconnector.command.CommandExchange;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/**
 * Last step for every command: its record is committed only once its outcome is on Kafka. The commit is
 * asynchronous (application.properties): this notes the offset, and the consumer commits it after the poll.
 */
public final class OffsetCommits {

    public void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getProperty(CommandExchange.OFFSET_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("the command record has no commit handle: is allowManualCommit on?");
        }
        commit.commit();
    }
}
