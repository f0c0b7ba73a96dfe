package io.github.ucconnector.ledger;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.github.ucconnector.kafka.TopicReplay;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which commands have been handled, kept in a compacted Kafka topic so it survives restarts and is shared by every
 * instance: read in full at start-up, then followed by a background consumer that picks up what other instances
 * write. Writes wait for every in-sync replica.
 * <p>
 * Memory holds only each command's state and where its entry is on the topic, a few dozen bytes, however large the
 * outcome: the outcome event itself is read back from the topic in the rare case that it is replayed.
 */
public final class CommandLedger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandLedger.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * A write either lands or has failed for good before anyone stops waiting for it ({@link #TIMEOUT}): a claim
     * given up on must not reach the ledger later, after another instance has taken the command over.
     */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(25);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REWRITE_DELAY = Duration.ofSeconds(1);
    private static final Duration FOLLOWER_FETCH_MAX_WAIT = Duration.ofMillis(50);
    private static final int FOLLOWER_FETCH_MIN_BYTES = 64 * 1024;

    /**
     * A command's state ({@code null}: forgotten) and the position of its entry, so an older record never replaces a
     * newer one and a done entry can be read back; for a start redriven despite its unknown outcome, the dead letter
     * it came from.
     */
    private record Slot(String state, String redrivenFrom, String attempt, int partition, long offset) {

        boolean isDone() {
            return LedgerEntry.DONE.equals(state);
        }

        boolean isPendingFor(String claimAttempt) {
            return LedgerEntry.PENDING.equals(state) && claimAttempt != null && claimAttempt.equals(attempt);
        }
    }

    private final String topic;
    private final ObjectMapper mapper;
    private final KafkaProducer<String, String> producer;
    /** Values stay bytes: most records the follower sees are this instance's own, which it skips without parsing. */
    private final KafkaConsumer<String, byte[]> consumer;
    /** Reads single entries back for replays; a consumer of its own, as the follower's is busy on its thread. */
    private final KafkaConsumer<String, byte[]> reader;
    private final Map<String, Slot> entries = new ConcurrentHashMap<>();
    /**
     * Outcomes this instance knows but Kafka has not acknowledged yet (or refused during an outage): the call was
     * made, so a redelivery must publish this outcome, not fail as unknown.
     */
    private final Map<String, LedgerEntry> unconfirmedOutcomes = new ConcurrentHashMap<>();
    /** Claims this instance gave up before their call: their pending entries may be claimed again. */
    private final Set<String> abandonedAttempts = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService rewrites = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "command-ledger-rewrite");
        thread.setDaemon(true);
        return thread;
    });
    /** Per ledger partition, the offset of the next record the follower will read; waiters are woken as it moves. */
    private final Map<TopicPartition, Long> followed = new ConcurrentHashMap<>();
    private final Thread follower;
    private volatile boolean running = true;

    private CommandLedger(Map<String, Object> kafka, String topic, ObjectMapper mapper) {
        this.topic = topic;
        this.mapper = mapper;
        Map<String, Object> producerProps = new HashMap<>(kafka);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
        producerProps.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REQUEST_TIMEOUT.toMillis());
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, REQUEST_TIMEOUT.toMillis());
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
        Map<String, Object> consumerProps = new HashMap<>(kafka);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A replay reads back one record that is there already. A fetch left waiting at the end of the log (500 ms
        // by default) holds up the next replay's fetch to that broker: after a crash, hundreds of replays in a row.
        Map<String, Object> readerProps = new HashMap<>(consumerProps);
        readerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 0);
        this.reader = new KafkaConsumer<>(readerProps, new StringDeserializer(), new ByteArrayDeserializer());
        // The follower learns other instances' entries. A fetch per write of this instance's own would cost the
        // broker more than all the outcome events together, so it waits for 64 KiB or 50 ms; where another
        // instance's latest entries matter (a partition just taken over), awaitEntriesWrittenSoFar() waits for it.
        consumerProps.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FOLLOWER_FETCH_MIN_BYTES);
        consumerProps.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) FOLLOWER_FETCH_MAX_WAIT.toMillis());
        this.consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer());
        this.follower = new Thread(this::follow, "command-ledger-follower");
        this.follower.setDaemon(true);
    }

    /**
     * A ledger not yet read: its Kafka clients only, so that {@link #open()} can run on another thread.
     *
     * @param kafka the Kafka client configuration (bootstrap servers and security) of its producer and consumer
     */
    public static CommandLedger create(Map<String, Object> kafka, String topic, ObjectMapper mapper) {
        return new CommandLedger(kafka, topic, mapper);
    }

    /** Reads the topic to its end, then keeps following it; the ledger answers correctly only after this. */
    public void open() {
        catchUp();
        noteFollowedPositions();
        follower.start();
    }

    /**
     * Waits until the follower has read every entry written to the ledger before this call, other instances'
     * included. A command from a partition this instance has just taken over may have an entry that the previous
     * owner wrote a moment ago (a start it claimed, then released).
     */
    public void awaitEntriesWrittenSoFar() {
        Map<TopicPartition, Long> ends;
        synchronized (reader) {
            ends = reader.endOffsets(followed.keySet(), TIMEOUT);
        }
        long until = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (followed) {
            while (ends.entrySet().stream().anyMatch(end -> followed.get(end.getKey()) < end.getValue())) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    throw new org.apache.kafka.common.errors.TimeoutException("The command ledger's follower did not"
                            + " catch up with " + topic + " in time");
                }
                try {
                    followed.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the command ledger", e);
                }
            }
        }
    }

    /**
     * The command's state, {@link LedgerEntry#PENDING} or {@link LedgerEntry#DONE}; empty when unknown, released or
     * forgotten. An outcome this instance knows counts as done before Kafka has acknowledged it.
     */
    public Optional<String> state(String commandKey) {
        if (unconfirmedOutcomes.containsKey(commandKey)) {
            return Optional.of(LedgerEntry.DONE);
        }
        Slot slot = entries.get(commandKey);
        return slot == null || LedgerEntry.RELEASED.equals(slot.state()) ? Optional.empty()
                : Optional.ofNullable(slot.state());
    }

    /**
     * Whether a start may be claimed for a call: nothing is known of it, or it is pending only because of a claim
     * this instance gave up before its call ({@link #release}).
     */
    public boolean mayClaim(String commandKey) {
        if (state(commandKey).isEmpty()) {
            return true;
        }
        Slot slot = entries.get(commandKey);
        return slot != null && LedgerEntry.PENDING.equals(slot.state()) && abandonedAttempts.contains(slot.attempt());
    }

    /**
     * Gives up the claim of an attempt that certainly made no call, without waiting: this instance may claim the
     * command again at once, whatever Kafka does meanwhile, and the released entry, written after the claim by the
     * same producer, tells the other instances once Kafka has it. It frees only that attempt's claim.
     */
    public void release(String commandKey, String attempt) {
        abandonedAttempts.add(attempt);
        writeAsync(commandKey, LedgerEntry.released(attempt)).whenComplete((written, failure) -> {
            if (failure != null) {
                LOG.warn("Could not write the release of a start's claim to the command ledger ({}): this instance"
                        + " may still claim it again", failure.getClass().getSimpleName());
            }
        });
    }

    /**
     * The outcome of a command this instance made the call for, while Kafka has not acknowledged its done entry:
     * published again and written again when the command comes back.
     */
    public Optional<LedgerEntry> unconfirmedOutcome(String commandKey) {
        return Optional.ofNullable(unconfirmedOutcomes.get(commandKey));
    }

    /**
     * Whether a start already in the ledger may make one more call: only while it is pending, when an operator
     * redrove it from a dead letter despite its unknown outcome ({@code RedriveHeaders.UNKNOWN_START_OVERRIDE}), and
     * only once per dead letter, so a redelivery of the redriven record does not call again.
     *
     * @param redrivenFrom the dead letter the override names
     */
    public boolean allowsOneMoreCall(String commandKey, String redrivenFrom) {
        Slot slot = entries.get(commandKey);
        return slot != null && LedgerEntry.PENDING.equals(slot.state()) && !redrivenFrom.equals(slot.redrivenFrom());
    }

    /** The command's done entry with its outcome event, read back from the topic. */
    public LedgerEntry readDone(String commandKey) {
        LedgerEntry unconfirmed = unconfirmedOutcomes.get(commandKey);
        if (unconfirmed != null) {
            return unconfirmed;
        }
        Slot slot = entries.get(commandKey);
        if (slot == null || !LedgerEntry.DONE.equals(slot.state())) {
            throw new IllegalStateException("the ledger has no outcome for " + commandKey);
        }
        TopicPartition partition = new TopicPartition(topic, slot.partition());
        synchronized (reader) {
            reader.assign(List.of(partition));
            reader.seek(partition, slot.offset());
            long until = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(100))) {
                    if (record.offset() == slot.offset()) {
                        return parse(record.value());
                    }
                }
            }
        }
        throw new org.apache.kafka.common.errors.TimeoutException("Reading " + commandKey + " from the command ledger"
                + " timed out");
    }

    /** Writes the entry and waits until Kafka has it. */
    public void write(String commandKey, LedgerEntry entry) {
        await(writeAsync(commandKey, entry));
    }

    /**
     * Starts writing the entry without waiting; the returned future completes once Kafka has it (or fails). Lets the
     * caller wait for the ledger and for another write at the same time.
     */
    public CompletableFuture<Void> writeAsync(String commandKey, LedgerEntry entry) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        String value;
        try {
            value = mapper.writeValueAsString(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write a ledger entry", e);
        }
        boolean outcome = LedgerEntry.DONE.equals(entry.state());
        if (outcome) {
            unconfirmedOutcomes.put(commandKey, entry);
        }
        try {
            producer.send(new ProducerRecord<>(topic, commandKey, value), (metadata, exception) -> {
                if (exception == null) {
                    apply(commandKey, entry, metadata.partition(), metadata.offset());
                    if (outcome) {
                        unconfirmedOutcomes.remove(commandKey, entry);
                    }
                    written.complete(null);
                } else {
                    written.completeExceptionally(exception);
                }
            });
        } catch (RuntimeException notSent) {
            // Not even handed to the producer (no metadata within max.block.ms): a failure like any other.
            written.completeExceptionally(notSent);
        }
        if (outcome) {
            written.whenComplete((ok, failure) -> {
                if (failure != null) {
                    rewriteLater(commandKey, entry);
                }
            });
        }
        return written;
    }

    /**
     * An outcome Kafka refused (the broker was away) is written again until Kafka has it, not only when its command
     * comes back: the command's partition may go to another instance meanwhile, which must find the outcome there.
     * Each try waits for Kafka up to the producer's delivery timeout, so the tries are spaced by themselves.
     */
    private void rewriteLater(String commandKey, LedgerEntry outcome) {
        if (!running) {
            return;
        }
        rewrites.schedule(() -> {
            if (running && unconfirmedOutcomes.get(commandKey) == outcome) {
                writeAsync(commandKey, outcome); // which schedules the next try if this one fails too
            }
        }, REWRITE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for a write, such as one begun with {@link #writeAsync}. */
    public static <T> T await(Future<T> written) {
        try {
            return written.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing the command ledger", e);
        } catch (ExecutionException e) {
            // Kafka's own exception, so the route treats it as a Kafka failure and the record is not committed.
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("Could not write the command ledger", e.getCause());
        } catch (TimeoutException e) {
            throw new org.apache.kafka.common.errors.TimeoutException("Writing the command ledger timed out", e);
        }
    }

    @Override
    public void close() {
        running = false;
        rewrites.shutdownNow();
        consumer.wakeup();
        try {
            follower.join(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(TIMEOUT);
        synchronized (reader) {
            reader.close(TIMEOUT);
        }
    }

    private void catchUp() {
        TopicReplay.readToEnd(consumer, topic, "command ledger", TIMEOUT, Duration.ofMinutes(5), this::apply);
        LOG.info("Read {} command(s) from the command ledger {}", entries.size(), topic);
    }

    private void follow() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(500)).forEach(this::apply);
                noteFollowedPositions();
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("The command ledger stopped following {}: duplicates written by other instances may go unseen",
                    topic, e);
        } finally {
            consumer.close(TIMEOUT);
        }
    }

    private void noteFollowedPositions() {
        for (TopicPartition partition : consumer.assignment()) {
            followed.put(partition, consumer.position(partition));
        }
        synchronized (followed) {
            followed.notifyAll();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        Slot known = entries.get(record.key());
        if (known != null && known.offset() >= record.offset() && known.partition() == record.partition()) {
            return; // this instance's own write, applied when Kafka acknowledged it
        }
        try {
            apply(record.key(), record.value() == null ? null : parse(record.value()), record.partition(),
                    record.offset());
        } catch (IllegalStateException e) {
            LOG.warn("Ignoring an unreadable command ledger record at offset {}", record.offset());
        }
    }

    private LedgerEntry parse(byte[] value) {
        try {
            return mapper.readValue(value, LedgerEntry.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable command ledger entry", e);
        }
    }

    private void apply(String key, LedgerEntry entry, int partition, long offset) {
        entries.compute(key, (k, current) -> {
            if (current != null && current.partition() == partition && current.offset() > offset) {
                return current;
            }
            // A forgotten command stays as a tombstone, so an older record read later cannot bring it back.
            if (entry == null) {
                return new Slot(null, null, null, partition, offset);
            }
            // An outcome is final: no claim or release can undo it. A release frees only its own attempt's claim.
            if (current != null && (current.isDone() || LedgerEntry.RELEASED.equals(entry.state())
                    && LedgerEntry.PENDING.equals(current.state()) && !current.isPendingFor(entry.attempt()))) {
                return current;
            }
            if (current != null && current.attempt() != null && !current.attempt().equals(entry.attempt())) {
                abandonedAttempts.remove(current.attempt()); // its claim is superseded
            }
            return new Slot(entry.state(), entry.redrivenFrom(), entry.attempt(), partition, offset);
        });
    }
}
