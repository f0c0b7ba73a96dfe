package io.github.ucconnector.support;

import io.github.ucconnector.broker.EmbeddedKafkaBroker;

/** One real KRaft broker per test JVM; each test class uses its own topics and consumer group. */
public final class SharedKafka {

    private static EmbeddedKafkaBroker broker;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.start(0, null);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "test-kafka-shutdown"));
        }
        return broker.bootstrapServers();
    }
}
