package io.github.ucconnector.wiring;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.event.CloudEventFactory;
import io.github.ucconnector.kafka.KafkaClientSecurity;
import io.github.ucconnector.kafka.PollTimeLimit;
import io.github.ucconnector.metrics.ConnectorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.main.Main;

/** Builds the areas in the order they need each other, and hands them to camel-main. */
public final class ConnectorWiring {

    private ConnectorWiring() {
    }

    /** Adds every area to {@code main}, and starts Kafka's part of the start-up (it overlaps Camel's). */
    public static void addTo(Main main, ConnectorSettings settings) {
        KafkaClientSecurity security = KafkaClientSecurity.from(settings);
        // Every Kafka client the connector creates starts from this: the cluster's address and how to log in.
        Map<String, Object> kafka = security.clientConfig(settings.get(Setting.KAFKA_BOOTSTRAP_SERVERS));
        ObjectMapper mapper = UltraCartJson.mapper();
        CloudEventFactory events = new CloudEventFactory(URI.create(settings.get(Setting.EVENT_SOURCE)), mapper,
                Clock.systemUTC());
        // The command consumer's poll clock: the command steps and the API budget both ask it how much time is left.
        PollTimeLimit pollTimeLimit =
                new PollTimeLimit(Duration.ofMillis(settings.getInt(Setting.KAFKA_POLL_TIME_LIMIT_MS)));

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ConnectorMetrics metrics = new ConnectorMetrics(registry);

        ApiWiring api = new ApiWiring(settings, mapper, pollTimeLimit, metrics);
        LedgerWiring ledger = new LedgerWiring(settings, kafka, mapper);
        CommandWiring commands = new CommandWiring(settings, mapper, api, events, pollTimeLimit, metrics);
        PollingWiring polling = new PollingWiring(settings, kafka, mapper, api, events, metrics);
        ManagementWiring management = new ManagementWiring(settings, registry, metrics, commands.pauses(),
                polling.activePoller(), api.budget(), kafka);
        management.bindMeterRegistry(main);
        List.of(api, ledger, commands, polling, management).forEach(main.configure()::addConfiguration);

        KafkaStartup startup = new KafkaStartup(settings, security, kafka, ledger::open);
        main.addMainListener(startup);
        main.addMainListener(ledger);
        main.addMainListener(management);
        main.addMainListener(polling);
        startup.begin();
    }

    /** The plain topics: the command topics and those the command outcomes go to. */
    public static List<String> plainTopics(ConnectorSettings settings) {
        return KafkaStartup.plainTopics(settings);
    }

    /** The command consumer's topics, one per command type. */
    public static List<String> commandTopics(ConnectorSettings settings) {
        return KafkaStartup.commandTopics(settings);
    }
}
