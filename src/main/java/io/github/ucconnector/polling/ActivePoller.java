package io.github.ucconnector.polling;

import java.util.Map;

import io.github.ucconnector.metrics.ConnectorMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Camel side of the poller lease ({@link PollerLeadership}): the instance that holds the lease reads the
 * summaries topic (so it resumes exactly where the previous active poller stopped) and starts the
 * {@code conversation-poller} route; losing the lease stops the route. The lease is sought once the Camel context
 * has fully started and given back when the context stops, after Camel has stopped the routes, so that during a
 * graceful hand-over the poller never runs on two instances at once (see {@link #lifecycle()}).
 */
public final class ActivePoller implements PollerLeadership.Listener {

    public static final String ROUTE_ID = "conversation-poller";
    private static final Logger LOG = LoggerFactory.getLogger(ActivePoller.class);

    private final KnownConversations known;
    private final ConversationPoller poller;
    private final Map<String, Object> kafka;
    private final String summariesTopic;
    private final PollerLeadership leadership;
    private final ConnectorMetrics metrics;
    private volatile CamelContext camelContext;
    private volatile boolean active;
    /** An operator paused polling (admin endpoint): the lease is kept, the route does not run. */
    private volatile boolean paused;

    /**
     * @param kafka      the Kafka client configuration (bootstrap servers and security) to read the summaries with
     * @param leadership the lease to seek, or {@code null} when polling is off (the route then never starts)
     */
    public ActivePoller(KnownConversations known, ConversationPoller poller, Map<String, Object> kafka,
            String summariesTopic, PollerLeadership leadership, ConnectorMetrics metrics) {
        this.known = known;
        this.poller = poller;
        this.kafka = kafka;
        this.summariesTopic = summariesTopic;
        this.leadership = leadership;
        this.metrics = metrics;
    }

    public boolean isActive() {
        return active;
    }

    public boolean isPaused() {
        return paused;
    }

    /**
     * An operator pauses polling on this instance: the cycle under way ends, then the route stops until
     * {@link #resume()}. The lease stays here, so no other instance polls meanwhile.
     *
     * @return whether polling was running until now
     */
    public synchronized boolean pause() {
        if (paused) {
            return false;
        }
        paused = true;
        if (active) {
            stopRoute();
        }
        return true;
    }

    /**
     * Resumes polling after {@link #pause()}; on the active poller the next cycle is a full scan, which catches what
     * changed meanwhile.
     *
     * @return whether polling was paused until now
     */
    public synchronized boolean resume() throws Exception {
        if (!paused) {
            return false;
        }
        paused = false;
        CamelContext context = camelContext;
        if (active && context != null && context.isStarted()) {
            poller.fullScanNext();
            context.getRouteController().startRoute(ROUTE_ID);
        }
        return true;
    }

    /**
     * Route step before each poll cycle and each published change: a cycle still running when the lease is lost
     * ends before its next change instead of publishing beside the new active poller.
     */
    public void requireActive() {
        if (!active) {
            throw new LeaseLostException();
        }
    }

    @Override
    public synchronized void elected() throws Exception {
        CamelContext context = camelContext;
        if (context == null || !context.isStarted()) {
            throw new IllegalStateException("Camel is not running");
        }
        takeOver();
        if (!paused) {
            context.getRouteController().startRoute(ROUTE_ID);
        }
    }

    /**
     * Resumes from the summaries topic, where the previous active poller stopped: from then on poll cycles
     * ({@code direct:poll-cycle}) run on this instance.
     */
    public void takeOver() {
        known.load(kafka, summariesTopic);
        poller.resume(known.size() == 0);
        active = true;
        metrics.pollerActive(true);
    }

    @Override
    public synchronized void deposed() {
        active = false;
        metrics.pollerActive(false);
        stopRoute();
    }

    private void stopRoute() {
        CamelContext context = camelContext;
        // While Camel stops it stops the route itself, before the lease is given back.
        if (context != null && context.isStarted()
                && context.getRouteController().getRouteStatus(ROUTE_ID).isStoppable()) {
            try {
                context.getRouteController().stopRoute(ROUTE_ID);
            } catch (Exception e) {
                LOG.warn("Could not stop the {} route: {}", ROUTE_ID, e.toString());
            }
        }
    }

    /**
     * To register with the Camel context as startup listener and service. A separate object: a bean that the routes
     * call and that is a {@link Service} would be stopped by Camel with those routes, giving the lease up for good.
     */
    public Lifecycle lifecycle() {
        return new Lifecycle();
    }

    /** Seeks the lease once the context has fully started; gives it back when the context stops. */
    public final class Lifecycle implements StartupListener, Service {

        private Lifecycle() {
        }

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            // Routes may still be starting: the lease is sought once everything runs.
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
            camelContext = context;
            if (leadership != null) {
                leadership.start(ActivePoller.this);
            }
        }

        @Override
        public void start() {
            // The lease is sought in onCamelContextFullyStarted.
        }

        @Override
        public void stop() {
            if (leadership != null) {
                leadership.close();
            }
        }
    }

    /** The poller lease went to another instance while a cycle was running; that instance polls from now on. */
    public static final class LeaseLostException extends RuntimeException {
        LeaseLostException() {
            super("this instance is no longer the active poller", null, false, false);
        }
    }
}
