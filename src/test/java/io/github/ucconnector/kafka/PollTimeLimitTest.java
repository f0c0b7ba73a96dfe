package io.github.ucconnector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PollTimeLimitTest {

    private static final TopicPartition PARTITION = new TopicPartition("commands", 0);

    private final PollTimeLimit limit = new PollTimeLimit(Duration.ofMillis(300));
    private final PollTimeLimit.PollClock clock = new PollTimeLimit.PollClock();

    @Test
    void theTimeRunsFromThePollThatBroughtRecordsOnTheSameThread() throws Exception {
        clock.onConsume(records(1));
        Thread.sleep(100);

        assertThat(limit.remaining()).isBetween(Duration.ZERO, Duration.ofMillis(200));
        assertThat(CompletableFuture.supplyAsync(limit::remaining).get())
                .as("a thread that polled nothing has the whole limit").isEqualTo(Duration.ofMillis(300));
        clock.close();
    }

    @Test
    void nothingIsLeftOnceTheLimitIsUsedUpUntilTheNextPollWithRecords() throws Exception {
        clock.onConsume(records(2));
        Thread.sleep(350);
        assertThat(limit.remaining()).isZero();

        clock.onConsume(records(0));
        assertThat(limit.remaining()).as("an empty poll starts nothing").isZero();

        long polled = System.nanoTime();
        clock.onConsume(records(1));
        Duration remaining = limit.remaining();
        // At most the time since the poll is used up: a fixed 50 ms margin was a bet on the scheduler.
        assertThat(remaining).as("the new poll's time")
                .isGreaterThanOrEqualTo(Duration.ofMillis(300).minusNanos(System.nanoTime() - polled));
        clock.close();
    }

    @Test
    void aCommandMayBeginOnlyWhileItsPollHasTimeLeft() throws Exception {
        Exchange command = new DefaultExchange(new DefaultCamelContext());
        clock.onConsume(records(1));
        limit.requireTimeLeft(command);

        Thread.sleep(350);
        assertThatThrownBy(() -> limit.requireTimeLeft(command)).isInstanceOf(PollTimeLimit.HandedBackException.class)
                .hasMessageContaining("300 ms");
        clock.close();
    }

    @Test
    void theClockHandsTheRecordsOnUnchanged() {
        ConsumerRecords<Object, Object> records = records(3);

        assertThat(clock.onConsume(records)).isSameAs(records);
        clock.close();
    }

    @Test
    void aLimitMustBePositive() {
        assertThatThrownBy(() -> new PollTimeLimit(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    private static ConsumerRecords<Object, Object> records(int count) {
        List<ConsumerRecord<Object, Object>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), i, null, "{}"));
        }
        return new ConsumerRecords<>(count == 0 ? Map.of() : Map.of(PARTITION, records));
    }
}
