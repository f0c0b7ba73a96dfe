package io.github.ucconnector.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.kafka.TopicInitializer;
import io.github.ucconnector.support.SharedKafka;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep a start from failing as {@code unknown_outcome} when its call never began, checked on the
 * ledger topic as any instance reads it, in whatever order Kafka delivers the entries: a release frees only its own
 * attempt's claim, an outcome is final, and a ledger read from the start agrees with the one that followed along.
 */
class CommandLedgerClaimsTest {

    private final Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
            SharedKafka.bootstrapServers());
    private String topic;

    @BeforeEach
    void createTopic() throws Exception {
        topic = "ledger-claims-" + UUID.randomUUID();
        new TopicInitializer(kafka, Optional.of(1), Optional.empty())
                .ensureExist(List.of(TopicInitializer.Topic.plain(topic)));
    }

    @Test
    void aReleaseFreesOnlyTheClaimOfItsOwnAttempt() {
        try (CommandLedger ledger = opened()) {
            ledger.write("start:a", LedgerEntry.pending("first"));
            assertThat(ledger.mayClaim("start:a")).as("claimed by another attempt").isFalse();

            ledger.write("start:a", LedgerEntry.released("first"));
            assertThat(ledger.state("start:a")).as("released").isEmpty();
            assertThat(ledger.mayClaim("start:a")).as("released").isTrue();

            ledger.write("start:a", LedgerEntry.pending("second"));
            // A late copy of the first attempt's release, as another instance might write it: the second claim stays.
            ledger.write("start:a", LedgerEntry.released("first"));
            assertThat(ledger.state("start:a")).contains(LedgerEntry.PENDING);
            assertThat(ledger.mayClaim("start:a")).as("claimed by the second attempt, which may have called").isFalse();
        }
        try (CommandLedger readFromTheStart = opened()) {
            assertThat(readFromTheStart.state("start:a")).contains(LedgerEntry.PENDING);
            assertThat(readFromTheStart.mayClaim("start:a")).isFalse();
        }
    }

    @Test
    void anOutcomeIsFinalWhateverClaimOrReleaseArrivesAfterIt() {
        try (CommandLedger ledger = opened()) {
            ledger.write("start:b", LedgerEntry.pending("first"));
            ledger.write("start:b", LedgerEntry.done("conversation-b", Map.of("ce_id", "event-b"), "{}"));
            ledger.write("start:b", LedgerEntry.released("first"));
            ledger.write("start:b", LedgerEntry.pending("stale"));
            assertThat(ledger.state("start:b")).contains(LedgerEntry.DONE);
            assertThat(ledger.readDone("start:b").eventKey()).isEqualTo("conversation-b");
        }
        try (CommandLedger readFromTheStart = opened()) {
            assertThat(readFromTheStart.state("start:b")).contains(LedgerEntry.DONE);
            assertThat(readFromTheStart.readDone("start:b").eventHeaders()).containsEntry("ce_id", "event-b");
        }
    }

    @Test
    void theInstanceThatGaveUpAClaimMayClaimAgainAtOnce() throws Exception {
        try (CommandLedger ledger = opened();
                KafkaProducer<String, String> lateClaim = new KafkaProducer<>(Map.copyOf(kafka), new StringSerializer(),
                        new StringSerializer())) {
            // The claim this instance stopped waiting for lands after all (written here by another producer, as
            // Kafka would once it is back), and the release is not on Kafka yet: this instance knows better.
            lateClaim.send(new ProducerRecord<>(topic, "start:c",
                    UltraCartJson.mapper().writeValueAsString(LedgerEntry.pending("given-up")))).get();
            ledger.awaitEntriesWrittenSoFar();
            assertThat(ledger.mayClaim("start:c")).as("claimed by an attempt nobody gave up").isFalse();

            ledger.release("start:c", "given-up");
            assertThat(ledger.mayClaim("start:c")).as("claimed only by the attempt this instance gave up").isTrue();
        }
    }

    private CommandLedger opened() {
        CommandLedger ledger = CommandLedger.create(kafka, topic, UltraCartJson.mapper());
        ledger.open();
        return ledger;
    }
}
