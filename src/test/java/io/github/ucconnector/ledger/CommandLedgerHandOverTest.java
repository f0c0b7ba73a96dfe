package io.github.ucconnector.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.kafka.TopicInitializer;
import io.github.ucconnector.support.SharedKafka;
import org.apache.kafka.clients.CommonClientConfigs;
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
                previousOwner.write(start, LedgerEntry.pending());
                newOwner.awaitEntriesWrittenSoFar();
                assertThat(newOwner.state(start)).as("a start claimed by the previous owner").contains(LedgerEntry.PENDING);

                // Released again (it never reached UltraCart): the new owner may send it.
                previousOwner.forget(start);
                newOwner.awaitEntriesWrittenSoFar();
                assertThat(newOwner.state(start)).as("a start released by the previous owner").isEmpty();

                String join = "join:hand-over-" + i;
                previousOwner.write(join, LedgerEntry.done("conversation-" + i, Map.of("ce_id", "id-" + i), "{}"));
                newOwner.awaitEntriesWrittenSoFar();
                assertThat(newOwner.state(join)).as("a join done by the previous owner").contains(LedgerEntry.DONE);
            }
        }
    }

    private static CommandLedger opened(Map<String, Object> kafka, String topic) {
        CommandLedger ledger = CommandLedger.create(kafka, topic, JSON);
        ledger.open();
        return ledger;
    }
}
