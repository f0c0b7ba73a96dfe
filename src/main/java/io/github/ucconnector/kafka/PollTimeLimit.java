package io.github.ucconnector.kafka;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How long the commands of one poll may keep their consumer busy. A consumer handles the records of a poll one
 * after the other, and each may wait for the API budget, be retried or meet a slow answer; together they must stay
 * well within Kafka's {@code max.poll.interval.ms}, however many records were polled.
 * Once a poll's time is used up, its commands that have not begun go back to Kafka uncommitted and come again with
 * the next poll; the command under way ends as usual, retries included, so that every command can fail in the end.
 * Waits for the API budget count against the limit too (see {@code ApiBudget}). To go back to a record, camel-kafka's
 * consumer leaves and rejoins its group, so the limit is a guard set high, not a pace.
 */
public final class PollTimeLimit {

    /** When the consumer on this thread last polled records: Camel handles them on the thread that polled them. */
    private static final ConsumerThreadState<Long> POLLED_AT = ConsumerThreadState.unset();

    private final Duration limit;

    public PollTimeLimit(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a poll time limit must be positive: " + limit);
        }
        this.limit = limit;
    }

    /**
     * What is left of the limit for the records the consumer on this thread polled last; the whole limit on a
     * thread that polls no commands.
     */
    public Duration remaining() {
        Long polledAt = POLLED_AT.get();
        if (polledAt == null) {
            return limit;
        }
        return Duration.ofNanos(Math.max(0, limit.toNanos() - (System.nanoTime() - polledAt)));
    }

    /**
     * Route step before a command begins. On shutdown the consumer still hands over the rest of its poll: only the
     * command under way ends, the others wait for the restart.
     *
     * @throws HandedBackException when the connector is stopping or the poll the command came with has no time left
     */
    public void requireTimeLeft(Exchange exchange) {
        if (exchange.getContext().isStopping()) {
            throw new HandedBackException("the connector is stopping: this command and the rest of its poll come "
                    + "again after the restart");
        }
        if (remaining().isZero()) {
            throw new HandedBackException("the commands polled before this one used up the poll time limit of "
                    + limit.toMillis() + " ms; it comes again with the next poll");
        }
    }

    /**
     * The command goes back to Kafka uncommitted, not begun. An exception, as the Kafka consumer then seeks back to
     * the record instead of counting it done; not the command's fault.
     */
    public static final class HandedBackException extends RuntimeException {
        HandedBackException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Kafka interceptor of the command consumer: notes when each poll returned records. Kafka creates it from its
     * class name, so it shares the time through the thread ({@link ConsumerThreadState}).
     */
    public static final class PollClock implements ConsumerInterceptor<Object, Object> {

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            if (!records.isEmpty()) {
                POLLED_AT.set(System.nanoTime());
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            // Only the time of the poll matters.
        }

        @Override
        public void close() {
            POLLED_AT.clear();
        }

        @Override
        public void configure(Map<String, ?> configs) {
            // Nothing to configure: the limit belongs to the PollTimeLimit bean.
        }
    }
}
