package io.github.ucconnector.kafka;

import java.util.function.Supplier;

/**
 * A value that a Kafka consumer's interceptor shares with the beans that handle the consumer's records: the one
 * place where the connector keeps state per thread.
 * <p>
 * Kafka's interceptor API leaves no other way. The Kafka client creates its interceptors itself, from the class
 * names in {@code interceptor.classes}, so an interceptor cannot be handed the bean it works with, nor the bean the
 * interceptor. What they do have in common is the thread: camel-kafka creates its consumer, polls it, calls its
 * {@code KafkaConsumerListener} and runs the route for each polled record, all on the consumer's own thread. So a
 * value set by an interceptor in {@code onConsume} is the one the route steps of that poll's records see.
 * <p>
 * The interceptor clears its values in {@code close()}, when the consumer is closed.
 *
 * @param <T> the value
 */
public final class ConsumerThreadState<T> {

    private final ThreadLocal<T> value;

    private ConsumerThreadState(ThreadLocal<T> value) {
        this.value = value;
    }

    /** A value that is {@code null} until set on a thread. */
    public static <T> ConsumerThreadState<T> unset() {
        return new ConsumerThreadState<>(new ThreadLocal<>());
    }

    /** A value made on first use on each thread. */
    public static <T> ConsumerThreadState<T> withInitial(Supplier<? extends T> initial) {
        return new ConsumerThreadState<>(ThreadLocal.withInitial(initial));
    }

    /** The value on this thread: {@code null} if unset, or made now when there is an initial value. */
    public T get() {
        return value.get();
    }

    public void set(T newValue) {
        value.set(newValue);
    }

    /** Forgets the value on this thread (its consumer is closed), so a pooled thread does not keep it. */
    public void clear() {
        value.remove();
    }
}
