package io.github.ucconnector.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.command.ReceivedRecord;
import io.github.ucconnector.kafka.TopicInitializer;
import io.github.ucconnector.support.SharedKafka;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualAsyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Two instances' ledgers on one ledger topic, as when a command partition moves from one instance to the other:
 * after {@link CommandLedger#awaitEntriesWrittenSoFar()} the new owner knows what the previous owner has just written.
 */
class CommandLedgerHandOverTest {

    private static final ObjectMapper JSON = UltraCartJson.mapper();

    @Test
    void theNewOwnerSeesEveryEntryThePreviousOwnerWroteBeforeItWaited() throws Exception {
        Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        String topic = "ledger-hand-over-" + UUID.randomUUID();
        new TopicInitializer(kafka, Optional.of(3), Optional.empty())
                .ensureExist(List.of(TopicInitializer.Topic.plain(topic)));
        try (CommandLedger previousOwner = opened(kafka, topic); CommandLedger newOwner = opened(kafka, topic)) {
            for (int i = 0; i < 50; i++) {
                String start = "start:hand-over-" + i;
                String attempt = "attempt-" + i;
                previousOwner.write(start, LedgerEntry.pending(attempt));
                newOwner.awaitEntriesWrittenSoFar();
                assertThat(newOwner.state(start)).as("a start claimed by the previous owner").contains(LedgerEntry.PENDING);
                assertThat(newOwner.mayClaim(start)).as("a start claimed by the previous owner").isFalse();

                // Released again (it never reached UltraCart): the new owner may send it.
                previousOwner.write(start, LedgerEntry.released(attempt));
                newOwner.awaitEntriesWrittenSoFar();
                assertThat(newOwner.state(start)).as("a start released by the previous owner").isEmpty();
                assertThat(newOwner.mayClaim(start)).as("a start released by the previous owner").isTrue();

                String join = "join:hand-over-" + i;
                previousOwner.write(join, LedgerEntry.done("conversation-" + i, Map.of("ce_id", "id-" + i), "{}"));
                newOwner.awaitEntriesWrittenSoFar();
                assertThat(newOwner.state(join)).as("a join done by the previous owner").contains(LedgerEntry.DONE);
            }
        }
    }

    /**
     * The case ScaleOutTest met: the partition went to another instance and came back at the very offset this
     * instance had left, so the offset alone said "nothing came in between". The consumer group generation says
     * otherwise, and the new owner waits for the ledger instead of answering from a view that may be 50 ms old.
     */
    @Test
    void aRecordAtTheNextOffsetButInANewGenerationSeesWhatAnotherInstanceWroteMeanwhile() throws Exception {
        Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        String ledgerTopic = "ledger-generation-" + UUID.randomUUID();
        String commandTopic = "commands-generation-" + UUID.randomUUID();
        new TopicInitializer(kafka, Optional.of(1), Optional.empty()).ensureExist(List.of(
                TopicInitializer.Topic.plain(ledgerTopic), TopicInitializer.Topic.plain(commandTopic)));
        String group = "generation-" + UUID.randomUUID();
        try (CommandLedger other = opened(kafka, ledgerTopic); CommandLedger mine = opened(kafka, ledgerTopic);
                KafkaConsumer<byte[], byte[]> consumer = member(kafka, group, commandTopic);
                CamelContext camel = new DefaultCamelContext()) {
            LedgerSteps steps = new LedgerSteps(mine);
            int first = newGeneration(consumer, -1, List.of());
            assertThat(steps.isDone(command(camel, consumer, commandTopic, 8, "before-" + UUID.randomUUID()))).isFalse();

            // Another member joins, then leaves, then joins again: each time a rebalance and a new generation (in the
            // real case the partition went there and back). Three rounds, as a stale view is not stale every time.
            KafkaConsumer<byte[], byte[]> joining = null;
            try {
                for (int round = 0; round < 3; round++) {
                    int before = consumer.groupMetadata().generationId();
                    if (joining == null) {
                        joining = member(kafka, group, commandTopic);
                        newGeneration(consumer, before, List.of(joining));
                    } else {
                        joining.close();
                        joining = null;
                        newGeneration(consumer, before, List.of());
                    }
                    // Meanwhile the other instance did the command at the next offset (its commit was lost, so the
                    // command comes again).
                    String commandId = "done-elsewhere-" + round + "-" + UUID.randomUUID();
                    other.write("start:" + commandId, LedgerEntry.done("conversation", Map.of("ce_id", "id"), "{}"));

                    assertThat(steps.isDone(command(camel, consumer, commandTopic, 9 + round, commandId)))
                            .as("round %d: the start done by the other instance, not sent again", round).isTrue();
                }
            } finally {
                if (joining != null) {
                    joining.close();
                }
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> member(Map<String, Object> kafka, String group, String topic) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls until the consumer is in a generation other than {@code old}; the others poll too, to take part. */
    private static int newGeneration(KafkaConsumer<byte[], byte[]> consumer, int old,
            List<KafkaConsumer<byte[], byte[]>> others) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.groupMetadata().generationId() == old && System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(100));
            others.forEach(member -> member.poll(Duration.ofMillis(100)));
        }
        assertThat(consumer.groupMetadata().generationId()).as("the consumer's generation").isNotEqualTo(old);
        return consumer.groupMetadata().generationId();
    }

    /** A start command from the topic's partition 0, as the route has it when the ledger is asked. */
    private static CommandFlow command(CamelContext camel, KafkaConsumer<byte[], byte[]> consumer, String topic,
            long offset, String commandId) {
        // camel-kafka's commit handle, which knows the consumer and so its group generation.
        DefaultKafkaManualAsyncCommit commit = new DefaultKafkaManualAsyncCommit(
                new KafkaManualCommitFactory.CamelExchangePayload(new DefaultExchange(camel), consumer, "test", null),
                new KafkaManualCommitFactory.KafkaRecordPayload(new TopicPartition(topic, 0), offset, 0), null);
        CommandFlow flow = new CommandFlow(new ReceivedRecord(topic, 0, offset, null, new byte[0], Map.of()), commit,
                false, CommandType.START, commandId);
        flow.read(new Command.Start(commandId, null));
        return flow;
    }

    private static CommandLedger opened(Map<String, Object> kafka, String topic) {
        CommandLedger ledger = CommandLedger.create(kafka, topic, JSON);
        ledger.open();
        return ledger;
    }
}
