package io.github.ucconnector.redrive;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.kafka.TopicInitializer;
import io.github.ucconnector.kafka.TopicReplay;
import io.github.ucconnector.redrive.RedriveReport.Letter;
import io.github.ucconnector.redrive.RedriveReport.Reason;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends dead letters back to the command topics they came from, once the cause of their failure is fixed.
 * <p>
 * Each dead letter goes back at most once: with it, in the same Kafka transaction, goes a note of its position to
 * the compacted redriven topic, and every run first reads those notes and passes over what they name. So a run
 * that is interrupted and repeated sends nothing twice, and a run for one category never hides the dead letters of
 * another from a later run, as one consumer group position for all runs would. The command consumers read
 * committed records only, so a record of a transaction that an interrupted run left open is never handled: the
 * next run's producer, of the same transactional id, aborts it. A redriven command that fails again is a new dead
 * letter, which a later run may send back again.
 */
public final class DeadLetterRedrive {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SCAN_DEADLINE = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> kafka;
    private final String deadLetterTopic;
    private final String redrivenTopic;
    private final Set<String> commandTopics;
    private final String transactionalId;
    private final TopicInitializer topics;
    private final Clock clock;

    /**
     * @param kafka           the Kafka client configuration (bootstrap servers and security)
     * @param transactionalId one per deployment: a run fences off any earlier run still going
     * @param topics          creates the redriven topic when it is missing
     */
    public DeadLetterRedrive(Map<String, Object> kafka, String deadLetterTopic, String redrivenTopic,
            Set<String> commandTopics, String transactionalId, TopicInitializer topics, Clock clock) {
        this.kafka = Map.copyOf(kafka);
        this.deadLetterTopic = deadLetterTopic;
        this.redrivenTopic = redrivenTopic;
        this.commandTopics = Set.copyOf(commandTopics);
        this.transactionalId = transactionalId;
        this.topics = topics;
        this.clock = clock;
    }

    /** The redrive of a deployment: its topics and Kafka from the settings, one transactional id per consumer group. */
    public static DeadLetterRedrive of(ConnectorSettings settings, Map<String, Object> kafka) {
        Set<String> commandTopics = CommandType.byTopic(settings::get).keySet();
        TopicInitializer topics = new TopicInitializer(kafka, settings.optionalInt(Setting.TOPIC_PARTITIONS),
                settings.optionalInt(Setting.TOPIC_REPLICATION_FACTOR).map(Integer::shortValue));
        return new DeadLetterRedrive(kafka, settings.get(Setting.TOPIC_DLQ), settings.get(Setting.TOPIC_REDRIVEN),
                commandTopics, settings.get(Setting.KAFKA_GROUP_ID) + "-redrive", topics, Clock.systemUTC());
    }

    /**
     * Reads the dead-letter topic up to its end as of now and sends back what the request selects (nothing on a
     * dry run).
     *
     * @throws IllegalStateException when Kafka fails meanwhile; what was sent back so far stays sent, and a
     *                               repeated run sends the rest
     */
    public RedriveReport run(RedriveRequest request) throws InterruptedException {
        createRedrivenTopic();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
                KafkaProducer<byte[], byte[]> producer = request.dryRun() ? null : producer()) {
            if (producer != null) {
                // Aborts what an interrupted run left open, before its notes are read.
                producer.initTransactions();
            }
            Set<String> redriven = redrivenPositions(consumer);
            return new Run(request, consumer, producer, redriven).scan();
        } catch (ProducerFencedException e) {
            throw new IllegalStateException("another redrive of this deployment began meanwhile; this one stopped."
                    + " What either sent back is not sent again", e);
        } catch (KafkaException e) {
            throw new IllegalStateException("the redrive was interrupted (" + e.getMessage() + "); what it sent back"
                    + " is not sent again: run it again for the rest", e);
        }
    }

    /** One run over the dead-letter topic. */
    private final class Run {
        private final RedriveRequest request;
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final KafkaProducer<byte[], byte[]> producer;
        private final Set<String> redriven;
        private final List<Letter> selected = new ArrayList<>();
        private final List<Letter> skipped = new ArrayList<>();
        private long scanned;
        private long notMatching;
        private int sent;

        Run(RedriveRequest request, KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
                Set<String> redriven) {
            this.request = request;
            this.consumer = consumer;
            this.producer = producer;
            this.redriven = redriven;
        }

        RedriveReport scan() {
            List<TopicPartition> partitions = consumer.partitionsFor(deadLetterTopic, TIMEOUT).stream()
                    .map(info -> new TopicPartition(deadLetterTopic, info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            seekToSince(partitions, ends);
            long until = System.nanoTime() + SCAN_DEADLINE.toNanos();
            boolean limitReached = false;
            boolean leftOver = false;
            while (!limitReached && partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < ends.get(p))) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("could not read the dead-letter topic " + deadLetterTopic
                            + " in time; what was sent back is not sent again: run it again for the rest");
                }
                List<DeadLetter> going = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue; // written after the run began
                    }
                    if (limitReached) {
                        leftOver = true;
                        break;
                    }
                    scanned++;
                    DeadLetter letter = DeadLetter.of(record);
                    if (!request.selects(letter)) {
                        notMatching++;
                    } else {
                        reasonToSkip(letter).ifPresentOrElse(reason -> skipped.add(Letter.of(letter, reason)), () -> {
                            selected.add(Letter.of(letter, null));
                            going.add(letter);
                        });
                        limitReached = request.limit().isPresent() && selected.size() >= request.limit().getAsInt();
                    }
                }
                send(going);
            }
            return new RedriveReport(request.dryRun(), scanned, List.copyOf(selected), sent, List.copyOf(skipped),
                    notMatching, !leftOver && partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p)));
        }

        /** To the first dead letter written at or after {@code since}: none before it can match. */
        private void seekToSince(List<TopicPartition> partitions, Map<TopicPartition, Long> ends) {
            consumer.seekToBeginning(partitions);
            request.since().ifPresent(since -> {
                Map<TopicPartition, Long> times = new HashMap<>();
                partitions.forEach(partition -> times.put(partition, since.toEpochMilli()));
                // A partition without a dead letter that late has nothing to read.
                consumer.offsetsForTimes(times, TIMEOUT).forEach((partition, found) ->
                        consumer.seek(partition, found != null ? found.offset() : ends.get(partition)));
            });
        }

        private Optional<Reason> reasonToSkip(DeadLetter letter) {
            if (redriven.contains(letter.position())) {
                return Optional.of(Reason.ALREADY_REDRIVEN);
            }
            if (letter.originalTopic().filter(commandTopics::contains).isEmpty()) {
                return Optional.of(Reason.NO_COMMAND_TOPIC);
            }
            if (letter.isStartWithUnknownOutcome() && !request.includeUnknownStarts()) {
                return Optional.of(Reason.UNKNOWN_OUTCOME_START);
            }
            return Optional.empty();
        }

        /** One transaction per poll's dead letters: the commands and the notes that they went. */
        private void send(List<DeadLetter> letters) {
            if (producer == null || letters.isEmpty()) {
                return;
            }
            producer.beginTransaction();
            try {
                String now = clock.instant().toString();
                for (DeadLetter letter : letters) {
                    producer.send(commandRecord(letter, now));
                    producer.send(new ProducerRecord<>(redrivenTopic, bytes(letter.position()),
                            bytes("{\"to\":\"" + letter.originalTopic().orElseThrow() + "\",\"redriven_at\":\"" + now
                                    + "\"}")));
                }
                producer.commitTransaction();
            } catch (ProducerFencedException e) {
                throw e;
            } catch (KafkaException e) {
                producer.abortTransaction();
                throw e;
            }
            sent += letters.size();
        }

        /** The original record: its key, value and own headers, with the marks of this redrive. */
        private ProducerRecord<byte[], byte[]> commandRecord(DeadLetter letter, String now) {
            RecordHeaders headers = new RecordHeaders();
            for (Header header : letter.record().headers()) {
                if (!replaced(header.key())) {
                    headers.add(header);
                }
            }
            headers.add(RedriveHeaders.COUNT, bytes(Integer.toString(letter.redriveCount() + 1)));
            headers.add(RedriveHeaders.REDRIVEN_AT, bytes(now));
            headers.add(RedriveHeaders.REDRIVEN_FROM, bytes(letter.position()));
            if (letter.isStartWithUnknownOutcome()) {
                headers.add(RedriveHeaders.UNKNOWN_START_OVERRIDE, bytes(letter.position()));
            }
            return new ProducerRecord<>(letter.originalTopic().orElseThrow(), null, letter.record().key(),
                    letter.record().value(), headers);
        }
    }

    private static boolean replaced(String header) {
        for (String prefix : RedriveHeaders.REPLACED_PREFIXES) {
            if (header.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private Set<String> redrivenPositions(KafkaConsumer<byte[], byte[]> consumer) {
        Set<String> positions = new HashSet<>();
        TopicReplay.readToEnd(consumer, redrivenTopic, "redriven topic", TIMEOUT, SCAN_DEADLINE, record -> {
            if (record.key() != null) {
                positions.add(new String(record.key(), StandardCharsets.UTF_8));
            }
        });
        return positions;
    }

    /**
     * The topic of the redrive notes, as the connector creates it at start-up and a redrive does when it is missing:
     * one note per dead letter sent back, kept for as long as the dead letters are, so compacted, never deleted.
     */
    public static TopicInitializer.Topic notesTopic(String name) {
        return new TopicInitializer.Topic(name, Optional.empty(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    private void createRedrivenTopic() throws InterruptedException {
        topics.ensureExist(List.of(notesTopic(redrivenTopic)));
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
