package io.github.ucconnector.polling;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.github.ucconnector.health.ReadinessCheck;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which instance polls, decided by Kafka's own group membership rather than an election of our own. Every instance
 * with polling on joins one consumer group on a single-partition lease topic; the group coordinator assigns that
 * partition to exactly one live member, and that member is the active poller. An instance that stops leaves the
 * group, and another member gets the partition at its next heartbeat; one that crashes stops sending heartbeats,
 * and the coordinator hands the partition on once the session timeout has passed. The topic holds no records: the
 * consumer polls only to stay in the group and to run the rebalance callbacks, on a thread of its own.
 */
public final class PollerLeadership implements AutoCloseable {

    /** What this instance does when it gets or loses the lease; both run on the lease thread. */
    public interface Listener {

        /** This instance holds the lease; throwing gives the lease up so that another instance can try. */
        void elected() throws Exception;

        /** The lease is gone (handed on, lost or given up): stop polling before returning. */
        void deposed();
    }

    private static final Logger LOG = LoggerFactory.getLogger(PollerLeadership.class);
    private static final Duration POLL_WAIT = Duration.ofMillis(200);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** After a failed takeover, how long this instance stays out of the group so that another one gets the lease. */
    private static final Duration RESIGN_PAUSE = Duration.ofSeconds(10);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(5);
    private static final Duration INSTANCE_CHECK_INTERVAL = Duration.ofMinutes(1);

    private final Map<String, Object> kafka;
    private final String groupId;
    private final String topic;
    private final TopicPartition lease;
    private final Duration failoverTimeout;
    private final int expectedInstances;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile Thread thread;
    private volatile boolean running;
    private volatile boolean holdsLease;
    /** Why this instance can neither hold nor seek the lease now; null while it can. */
    private volatile String problem;
    private Listener listener;
    private boolean resign;
    private long nextInstanceCheck = System.nanoTime();
    private int lastWarnedInstances;

    /**
     * @param groupId           the lease's own consumer group (not the command consumers' group)
     * @param failoverTimeout   how long a takeover may take after a crash: the session timeout is half of it, the
     *                          heartbeat interval a third of that, leaving the rest for the rebalance and for reading
     *                          the summaries topic
     * @param expectedInstances the instances the API budget is divided between; more members in the group get a
     *                          warning
     */
    public PollerLeadership(Map<String, Object> kafka, String groupId, String topic, Duration failoverTimeout,
            int expectedInstances) {
        this.kafka = kafka;
        this.groupId = groupId;
        this.topic = topic;
        this.lease = new TopicPartition(topic, 0);
        this.failoverTimeout = failoverTimeout;
        this.expectedInstances = expectedInstances;
    }

    /** The failover timeout is this many session timeouts of the lease consumer. */
    public static final int FAILOVER_PER_SESSION_TIMEOUT = 2;

    /** The lease consumer's Kafka session timeout: how soon the group notices that the active poller crashed. */
    public static Duration sessionTimeout(Duration failoverTimeout) {
        return failoverTimeout.dividedBy(FAILOVER_PER_SESSION_TIMEOUT);
    }

    /**
     * The lease consumer's settings; the timeouts are what bounds a takeover.
     *
     * @param kafka the Kafka client configuration (bootstrap servers and security) it starts from
     */
    static Map<String, Object> consumerConfig(Map<String, Object> kafka, String groupId, Duration failoverTimeout) {
        long sessionTimeoutMs = sessionTimeout(failoverTimeout).toMillis();
        Map<String, Object> config = new HashMap<>(kafka);
        config.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                // Names the instance in `kafka-consumer-groups.sh --describe --members`: host and process id.
                ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + instanceName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeoutMs,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(1, sessionTimeoutMs / 3),
                // Sticky and cooperative: an instance joining the group does not take the lease from the active
                // poller, nor even interrupt it; the lease only moves when its holder leaves or dies.
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()));
        return config;
    }

    /** Joins the group on a thread of its own; the listener is called whenever this instance gets or loses the lease. */
    public synchronized void start(Listener listener) {
        if (thread != null) {
            throw new IllegalStateException("the poller lease is already sought");
        }
        this.listener = listener;
        this.consumer = new KafkaConsumer<>(consumerConfig(kafka, groupId, failoverTimeout),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.running = true;
        this.thread = new Thread(this::run, "poller-lease");
        this.thread.setDaemon(true);
        this.thread.start();
        LOG.info("Seeking the poller lease (group {}, topic {}, failover within {} s)", groupId, topic,
                failoverTimeout.toSeconds());
    }

    public boolean holdsLease() {
        return holdsLease;
    }

    /** Why this instance, which should take part in the election, can neither hold nor seek the lease now. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * Readiness is down while this instance should take part in the poller election but cannot: an instance that is
     * UP and never polls would leave every conversation change unpublished without anyone noticing.
     */
    public ReadinessCheck readinessCheck() {
        return new ReadinessCheck("poller-lease", this::problem).withDetail("active_poller", this::holdsLease);
    }

    /** Stops polling if this instance polls, then leaves the group so that another instance takes over at once. */
    @Override
    public synchronized void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        Thread leaseThread = thread;
        if (leaseThread != null && leaseThread != Thread.currentThread()) {
            try {
                leaseThread.join(CLOSE_TIMEOUT.toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new LeaseListener());
            while (running) {
                try {
                    consumer.poll(POLL_WAIT);
                    problem = null;
                    if (resign) {
                        giveUp();
                    }
                    checkInstanceCount();
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // E.g. a session timeout the broker does not allow (group.min/max.session.timeout.ms).
                    problem = "the poller lease could not be sought: " + e;
                    LOG.error("The poller lease could not be held ({}); trying again in {} s", e.toString(),
                            ERROR_PAUSE.toSeconds());
                    pause(ERROR_PAUSE);
                }
            }
        } catch (WakeupException e) {
            // close() was called
        } catch (RuntimeException e) {
            problem = "the poller lease thread stopped: " + e;
            LOG.error("The poller lease thread stopped; this instance will not poll", e);
        } finally {
            try {
                // Runs the revocation callback (polling stops) and then leaves the group.
                consumer.close(CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warn("Closing the poller lease consumer failed: {}", e.toString());
            }
            depose();
        }
    }

    /** A takeover failed: leave the group for a while, so that another instance can take the lease. */
    private void giveUp() {
        resign = false;
        consumer.unsubscribe();
        pause(RESIGN_PAUSE);
        if (running) {
            consumer.subscribe(List.of(topic), new LeaseListener());
        }
    }

    private void elect() {
        try {
            listener.elected();
            holdsLease = true;
            LOG.info("This instance is now the active poller (it holds the poller lease of group {})", groupId);
            nextInstanceCheck = System.nanoTime();
        } catch (Exception e) {
            LOG.error("Could not take over polling, giving the poller lease to another instance: {}", e.toString());
            listener.deposed();
            resign = true;
        }
    }

    private void depose() {
        if (holdsLease) {
            holdsLease = false;
            listener.deposed();
            LOG.info("This instance is no longer the active poller");
        }
    }

    /**
     * The members of the lease group are the running instances (those that poll when elected). Each spends only its
     * share of the API budget, so more instances than the budget was divided by could exceed UltraCart's limits.
     */
    private void checkInstanceCount() {
        if (!holdsLease || System.nanoTime() - nextInstanceCheck < 0) {
            return;
        }
        nextInstanceCheck = System.nanoTime() + INSTANCE_CHECK_INTERVAL.toNanos();
        try (Admin admin = Admin.create(kafka)) {
            int members = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                    .get(10, TimeUnit.SECONDS).members().size();
            if (members > expectedInstances && members != lastWarnedInstances) {
                LOG.warn("{} connector instances are running but the API budget is divided by {} "
                        + "(ultracart.budget.instances): together they may exceed UltraCart's limits", members,
                        expectedInstances);
            }
            lastWarnedInstances = members > expectedInstances ? members : 0;
        } catch (Exception e) {
            LOG.debug("Could not count the connector instances: {}", e.toString());
        }
    }

    private void pause(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (running && System.nanoTime() < end) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String instanceName() {
        // "pid@host"; only letters, digits, '.', '_' and '-' keep the client id readable in tools and metrics.
        String[] pidAtHost = ManagementFactory.getRuntimeMXBean().getName().split("@", 2);
        String host = pidAtHost.length > 1 ? pidAtHost[1] : "unknown-host";
        return host.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + pidAtHost[0];
    }

    /** Rebalance callbacks: run inside {@code poll}, so never at the same time as each other. */
    private final class LeaseListener implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.contains(lease) && !holdsLease) {
                elect();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.contains(lease)) {
                depose();
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // The session expired without this instance noticing (a long pause, a network split): another instance
            // may hold the lease already, so stop at once.
            if (partitions.contains(lease)) {
                depose();
            }
        }
    }
}
