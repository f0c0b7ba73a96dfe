package io.github.ucconnector.wiring;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.command.CommandFailures;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.event.CloudEventFactory;
import io.github.ucconnector.metrics.ConnectorMetrics;
import io.github.ucconnector.polling.ActivePoller;
import io.github.ucconnector.polling.ChangeEvents;
import io.github.ucconnector.polling.ConversationPoller;
import io.github.ucconnector.polling.EnrichMode;
import io.github.ucconnector.polling.KnownConversations;
import io.github.ucconnector.polling.PollerLeadership;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * The poller (routes/conversation-poller.yaml). However many instances run, one polls: the one Kafka's group
 * coordinator gives the poller lease. The active-poller bean is bound even with polling off, for the route steps
 * that ask whether this instance is the active poller.
 */
final class PollingWiring extends MainListenerSupport implements CamelConfiguration {

    private final ConversationPoller poller;
    private final ChangeEvents changeEvents;
    private final PollerLeadership leadership;
    private final ActivePoller activePoller;

    PollingWiring(ConnectorSettings settings, Map<String, Object> kafka, ObjectMapper mapper, ApiWiring api,
            CloudEventFactory events, ConnectorMetrics metrics) {
        // Read from the summaries topic by the instance that becomes the active poller.
        KnownConversations known = new KnownConversations(mapper);
        poller = new ConversationPoller(known, api.responses(), mapper,
                EnrichMode.of(settings.get(Setting.POLL_ENRICH)), settings.getBoolean(Setting.POLL_BACKFILL),
                Duration.ofMillis(settings.getInt(Setting.POLL_FULL_SCAN_INTERVAL_MS)),
                settings.getInt(Setting.ULTRACART_MAX_RESPONSE_BYTES), Clock.systemUTC(), metrics);
        changeEvents = new ChangeEvents(events, mapper);
        leadership = settings.getBoolean(Setting.POLL_ENABLED)
                ? new PollerLeadership(kafka, settings.get(Setting.KAFKA_GROUP_ID) + "-poller",
                        settings.get(Setting.TOPIC_POLLER_LEASE),
                        Duration.ofMillis(settings.getInt(Setting.POLL_FAILOVER_TIMEOUT_MS)),
                        settings.getInt(Setting.ULTRACART_BUDGET_INSTANCES))
                : null;
        activePoller = new ActivePoller(known, poller, kafka, settings.get(Setting.TOPIC_SUMMARIES), leadership,
                metrics);
    }

    @Override
    public void configure(CamelContext context) {
        context.getRegistry().bind("conversationPoller", poller);
        context.getRegistry().bind("changeEvents", changeEvents);
        context.getRegistry().bind("activePoller", activePoller);
        // What the poller's failure handler tells apart: the lease went to another instance mid-cycle.
        context.getRegistry().bind("pollerLeaseLost", CommandFailures.causedBy(ActivePoller.LeaseLostException.class));
        if (leadership == null) {
            return;
        }
        HealthCheckRegistry.get(context).register(leadership.readinessCheck());
    }

    /**
     * Seeks the lease once Camel has fully started; gives it back after Camel stopped the routes. Added once the
     * routes are there: Camel stops its services in the reverse order it got them, so this one stops first.
     */
    @Override
    public void afterConfigure(BaseMainSupport configured) {
        if (leadership == null) {
            return;
        }
        CamelContext context = configured.getCamelContext();
        ActivePoller.Lifecycle lifecycle = activePoller.lifecycle();
        try {
            context.addStartupListener(lifecycle);
            context.addService(lifecycle, true, false);
        } catch (Exception e) {
            throw new IllegalStateException("Could not register the active poller", e);
        }
    }

    ActivePoller activePoller() {
        return activePoller;
    }
}
