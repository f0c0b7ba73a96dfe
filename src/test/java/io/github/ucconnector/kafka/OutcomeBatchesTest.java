package io.github.ucconnector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.command.ReceivedRecord;
import io.github.ucconnector.event.EventRecord;
import io.github.ucconnector.metrics.ConnectorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How outcome records wait for their partition's last polled record (or 100 ms), and when commands are committed. */
class OutcomeBatchesTest {

    private static final String TOPIC = "commands.join";

    private final CamelContext camel = new DefaultCamelContext();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OutcomeBatches batches = new OutcomeBatches(new OutcomeBatches.Topics("events", "replies", "dlq"),
            new DeadLetters(), new ConnectorMetrics(registry));
    private final List<Long> committed = new ArrayList<>();

    @AfterEach
    void closeCamel() throws Exception {
        camel.close();
    }

    @Test
    void outcomesWaitForTheLastRecordOfThePartitionsPollThenGoOutInOrderAndTheCommandsAreCommitted() {
        Exchange first = command(0, 10, false);
        outcome(first, "events", "first event");
        batches.finish(first);
        assertThat(batches.hasRecordsToSend(first)).isFalse();

        Exchange last = command(0, 11, true);
        outcome(last, "replies", "private reply");
        outcome(last, "events", "last event");
        batches.finish(last);

        assertThat(batches.hasRecordsToSend(last)).isTrue();
        assertThat(records(last)).containsExactly("events:first event", "replies:private reply", "events:last event");
        assertThat(committed).isEmpty();
        batches.committed(last);
        assertThat(committed).containsExactly(10L, 11L);
        assertThat(registry.get("ultracart.connector.commands").counters()).isNotEmpty();
    }

    @Test
    void outcomesThatWaitedLongEnoughGoOutBeforeThePollsLastRecord() throws Exception {
        Exchange first = command(0, 30, false);
        outcome(first, "events", "first event");
        batches.finish(first);
        // A slow API, or commands paced by the budget: the next command ends well after the first.
        Thread.sleep(150);

        Exchange second = command(0, 31, false);
        outcome(second, "events", "second event");
        batches.finish(second);

        assertThat(batches.hasRecordsToSend(second)).isTrue();
        assertThat(records(second)).containsExactly("events:first event", "events:second event");
        batches.committed(second);
        assertThat(committed).containsExactly(30L, 31L);
    }

    @Test
    void eachPartitionHasABatchOfItsOwn() {
        Exchange partition0 = command(0, 5, false);
        outcome(partition0, "events", "from partition 0");
        batches.finish(partition0);
        Exchange partition1 = command(1, 7, true);
        outcome(partition1, "events", "from partition 1");
        batches.finish(partition1);

        assertThat(records(partition1)).containsExactly("events:from partition 1");
        batches.committed(partition1);
        assertThat(committed).containsExactly(7L);
    }

    @Test
    void aRedeliveryDropsWhatWasCollectedForTheRecordsItRepeats() {
        Exchange before = command(0, 20, false);
        outcome(before, "events", "made before the consumer went back");
        batches.finish(before);

        Exchange again = command(0, 20, true);
        outcome(again, "events", "made again");
        batches.finish(again);

        assertThat(records(again)).containsExactly("events:made again");
        batches.committed(again);
        assertThat(committed).containsExactly(20L);
    }

    @Test
    void aCommandLeftToComeAgainSendsAndCommitsOnlyTheCommandsBeforeIt() {
        Exchange done = command(0, 30, false);
        outcome(done, "events", "done");
        batches.finish(done);

        Exchange refused = command(0, 31, false);
        batches.sendNow(refused);

        assertThat(records(refused)).containsExactly("events:done");
        batches.committed(refused);
        assertThat(committed).containsExactly(30L);
    }

    @Test
    void textBecomesUtf8BytesForTheByteArraySerializers() {
        Exchange exchange = command(0, 40, true);
        exchange.getMessage().setBody(new EventRecord("clé", Map.of(), "café"));
        batches.addEvent(exchange);
        batches.finish(exchange);

        Message record = (Message) exchange.getMessage().getBody(List.class).get(0);
        assertThat(record.getBody()).isEqualTo("café".getBytes(StandardCharsets.UTF_8));
        assertThat(record.getHeader(KafkaConstants.KEY)).isEqualTo("clé".getBytes(StandardCharsets.UTF_8));
    }

    private Exchange command(int partition, long offset, boolean lastOfPartitionPoll) {
        Exchange exchange = new DefaultExchange(camel);
        KafkaManualCommit commit = () -> committed.add(offset);
        exchange.setProperty(CommandFlow.PROPERTY, new CommandFlow(
                new ReceivedRecord(TOPIC, partition, offset, null, new byte[0], Map.of()), commit, lastOfPartitionPoll,
                CommandType.JOIN, "join-" + offset));
        return exchange;
    }

    /** An event or a private reply, as the route steps before the batch make them. */
    private void outcome(Exchange exchange, String topic, String body) {
        exchange.getMessage().setBody(new EventRecord(null, Map.of(), body));
        if ("replies".equals(topic)) {
            batches.addReply(exchange);
        } else {
            batches.addEvent(exchange);
        }
    }

    private static List<String> records(Exchange exchange) {
        List<?> body = exchange.getMessage().getBody(List.class);
        return body.stream().map(Message.class::cast)
                .map(m -> m.getHeader(KafkaConstants.OVERRIDE_TOPIC) + ":"
                        + new String((byte[]) m.getBody(), StandardCharsets.UTF_8))
                .toList();
    }
}
