package io.github.ucconnector.admin;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.kafka.ConsumerThreadState;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.camel.component.kafka.consumer.support.ProcessingResult;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Pauses the consumption of chosen command types while the one command consumer goes on reading the others; and of
 * every type while the API holds commands back (UltraCart down or refusing the credentials, {@code ApiGate}), until
 * it lets a probe through.
 * <p>
 * camel-kafka pauses a route's consumer as a whole, and Camel would commit a record that a route step merely skipped.
 * So a paused type is held back in Kafka's own terms, on the consumer's thread, in two parts:
 * <ul>
 * <li>{@link Holdback}, a consumer interceptor, takes the records of paused topics out of each poll before Camel sees
 * them, noting the first offset it took per partition;</li>
 * <li>this listener, which camel-kafka calls right after each poll (the route's {@code pausable} step attaches it),
 * seeks those partitions back to that offset and pauses them, so they are not fetched again; once their type is
 * resumed, it resumes them, and the consumer reads on from the first record held back.</li>
 * </ul>
 * A held-back record never reaches the route, so it is neither handled nor committed: nothing passes while paused,
 * nothing is lost on resume, and the consumer stays in its group (it keeps polling). Partitions Kafka assigns anew
 * (a rebalance) are not paused: their first poll is held back the same way.
 */
public final class CommandPauses extends KafkaConsumerListener {

    /** The listener of the consumer polling on this thread, for its interceptor, which Kafka creates by class name. */
    private static final ConsumerThreadState<CommandPauses> LISTENER = ConsumerThreadState.unset();
    /** Per consumer thread: the first offset held back in the last poll, per partition. */
    private static final ConsumerThreadState<Map<TopicPartition, Long>> HELD_BACK =
            ConsumerThreadState.withInitial(HashMap::new);
    /** Set on the consumer's thread when Kafka creates the interceptor, which happens before the listener is set. */
    private static final ConsumerThreadState<Boolean> HOLDBACK_CREATED = ConsumerThreadState.unset();

    private final Map<String, CommandType> typesByTopic;
    /** Whether no API call may be made now: commands then wait on Kafka, not in a consumer thread. */
    private final BooleanSupplier apiHoldsCommands;
    private volatile EnumSet<CommandType> paused = EnumSet.noneOf(CommandType.class);
    /** Whether the command consumer has both parts: this listener, and the interceptor. */
    private volatile boolean holdbackInPlace;

    /**
     * @param apiHoldsCommands whether the API takes no calls now (and lets no probe through): every command type is
     *                         then held back like a paused one
     */
    public CommandPauses(Map<String, CommandType> typesByTopic, BooleanSupplier apiHoldsCommands) {
        this.typesByTopic = Map.copyOf(typesByTopic);
        this.apiHoldsCommands = apiHoldsCommands;
    }

    /** The command types paused now. */
    public Set<CommandType> paused() {
        return EnumSet.copyOf(paused);
    }

    /** Pauses the types; returns those that were running until now. */
    public Set<CommandType> pause(Set<CommandType> types) {
        return change(types, true);
    }

    /** Resumes the types; returns those that were paused until now. */
    public Set<CommandType> resume(Set<CommandType> types) {
        return change(types, false);
    }

    private synchronized Set<CommandType> change(Set<CommandType> types, boolean pause) {
        EnumSet<CommandType> now = EnumSet.copyOf(paused);
        Set<CommandType> changed = EnumSet.noneOf(CommandType.class);
        for (CommandType type : types) {
            if (pause ? now.add(type) : now.remove(type)) {
                changed.add(type);
            }
        }
        paused = now;
        return changed;
    }

    /**
     * Route step before a command begins, for the records polled before their type was paused: such a record goes
     * back to Kafka uncommitted, with the rest of its poll (the consumer seeks back and rejoins its group, once), and
     * comes again only after the resume. Records polled later are held back before they reach the route.
     *
     * @throws PausedException when the record's command type is paused
     */
    public void requireRunning(Exchange exchange) {
        String topic = exchange.getMessage().getHeader(KafkaConstants.TOPIC, String.class);
        if (pausedByOperator(topic)) {
            throw new PausedException(typesByTopic.get(topic));
        }
    }

    /**
     * Refuses a pause that would not hold: routes without the {@code pausable} step or the {@link Holdback}
     * interceptor (an old copy of routes/) would let paused commands through.
     */
    public void requireHoldback() {
        if (!holdbackInPlace) {
            throw new IllegalStateException("the command route cannot pause commands: its Kafka consumer lacks the "
                    + "pausable step or the interceptor of routes/conversation-commands.yaml");
        }
    }

    private boolean pausedByOperator(String topic) {
        CommandType type = typesByTopic.get(topic);
        return type != null && paused.contains(type);
    }

    /**
     * Whether the topic's records wait on Kafka now. Records polled just before the API began to hold commands need
     * no step of their own: the API call refuses them and they go back to Kafka the same way.
     */
    private boolean holdsBack(String topic) {
        return pausedByOperator(topic) || typesByTopic.containsKey(topic) && apiHoldsCommands.getAsBoolean();
    }

    private boolean holdsBackAny() {
        return !paused.isEmpty() || apiHoldsCommands.getAsBoolean();
    }

    /** Called by camel-kafka on the consumer's thread, when it creates (or re-creates) the consumer. */
    @Override
    public void setConsumer(Consumer<?, ?> consumer) {
        super.setConsumer(consumer);
        LISTENER.set(this);
        HELD_BACK.get().clear();
        holdbackInPlace = Boolean.TRUE.equals(HOLDBACK_CREATED.get());
        HOLDBACK_CREATED.clear();
    }

    /**
     * Called by camel-kafka on the consumer's thread after each poll, before the polled records are handled: makes
     * the paused partitions match the paused types. The argument is the consumer that polled (one per thread).
     *
     * @return always true: the records of this poll that were not held back are handled as usual
     */
    @Override
    public boolean afterConsume(Object polled) {
        Consumer<?, ?> consumer = (Consumer<?, ?>) polled;
        Map<TopicPartition, Long> heldBack = HELD_BACK.get();
        heldBack.forEach(consumer::seek);
        heldBack.clear();
        Set<TopicPartition> toPause = new HashSet<>();
        Set<TopicPartition> toResume = new HashSet<>();
        Set<TopicPartition> pausedNow = consumer.paused();
        for (TopicPartition partition : consumer.assignment()) {
            boolean hold = holdsBack(partition.topic());
            if (hold && !pausedNow.contains(partition)) {
                toPause.add(partition);
            } else if (!hold && pausedNow.contains(partition)) {
                toResume.add(partition);
            }
        }
        if (!toPause.isEmpty()) {
            consumer.pause(toPause);
        }
        if (!toResume.isEmpty()) {
            consumer.resume(toResume);
        }
        return true;
    }

    /** A failed record is left to the route's error handling (break-on-first-error), not a reason to pause. */
    @Override
    public boolean afterProcess(ProcessingResult result) {
        return true;
    }

    /** The command's type was paused after it was polled: it goes back to Kafka, not begun. */
    public static final class PausedException extends RuntimeException {
        PausedException(CommandType type) {
            super(type.id() + " commands are paused by an operator: this one and the rest of its poll wait on Kafka "
                    + "until they are resumed", null, false, false);
        }
    }

    /**
     * Kafka consumer interceptor of the command consumer: takes the records of paused command types out of each
     * poll, noting where each partition's held-back records begin so that {@link #afterConsume} seeks back there.
     * It holds nothing back on a consumer that has no {@link CommandPauses} listener, as no one would seek back.
     */
    public static final class Holdback implements ConsumerInterceptor<Object, Object> {

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            CommandPauses pauses = LISTENER.get();
            if (pauses == null || records.isEmpty() || !pauses.holdsBackAny()) {
                return records;
            }
            Map<TopicPartition, List<ConsumerRecord<Object, Object>>> passed = new LinkedHashMap<>();
            Map<TopicPartition, Long> heldBack = HELD_BACK.get();
            for (TopicPartition partition : records.partitions()) {
                List<ConsumerRecord<Object, Object>> polled = records.records(partition);
                if (pauses.holdsBack(partition.topic())) {
                    heldBack.merge(partition, polled.get(0).offset(), Math::min);
                } else {
                    passed.put(partition, polled);
                }
            }
            return passed.size() == records.partitions().size() ? records : new ConsumerRecords<>(passed);
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
            // Commits are the route's business.
        }

        @Override
        public void close() {
            LISTENER.clear();
            HELD_BACK.clear();
        }

        @Override
        public void configure(Map<String, ?> configs) {
            // The paused types belong to the CommandPauses listener of the consumer's thread; Kafka creates the
            // consumer, and so this interceptor, on that thread.
            HOLDBACK_CREATED.set(true);
        }
    }
}
