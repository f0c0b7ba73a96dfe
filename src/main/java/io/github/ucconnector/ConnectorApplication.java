package io.github.ucconnector;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.FailureClassifier;
import io.github.ucconnector.api.RetryCounter;
import io.github.ucconnector.api.UltraCartAuthentication;
import io.github.ucconnector.api.UltraCartCalls;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.api.UltraCartRequests;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.command.CommandIntake;
import io.github.ucconnector.command.CommandReader;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.event.OutcomeEvents;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.kafka.OffsetCommits;
import io.github.ucconnector.kafka.TopicInitializer;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector proper: camel-main with the YAML routes, the beans they call, and the settings as property
 * placeholders. Kafka and UltraCart (or the sandbox) must already be reachable at the configured addresses.
 */
public final class ConnectorApplication {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorApplication.class);

    private ConnectorApplication() {
    }

    /** Creates missing topics and prepares camel-main; the caller starts it ({@code run} or {@code start}). */
    public static Main create(ConnectorSettings settings) throws InterruptedException {
        LOG.info("Settings:\n  {}", String.join("\n  ", settings.summary()));
        List<String> created = new TopicInitializer(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.get(Setting.KAFKA_BOOTSTRAP_SERVERS)),
                settings.optionalInt(Setting.TOPIC_PARTITIONS),
                settings.optionalInt(Setting.TOPIC_REPLICATION_FACTOR).map(Integer::shortValue))
                .ensureExist(topics(settings));
        if (!created.isEmpty()) {
            LOG.info("Created topics {}", created);
        }

        Main main = new Main();
        settings.placeholders().forEach(main::addOverrideProperty);
        main.addOverrideProperty("camel.main.routes-include-pattern", routesLocation(settings));
        bindBeans(main, settings);
        return main;
    }

    private static void bindBeans(Main main, ConnectorSettings settings) {
        ObjectMapper mapper = UltraCartJson.mapper();
        main.bind("commandIntake", new CommandIntake(Map.of(
                settings.get(Setting.TOPIC_COMMAND_START), CommandType.START,
                settings.get(Setting.TOPIC_COMMAND_JOIN), CommandType.JOIN,
                settings.get(Setting.TOPIC_COMMAND_LEAVE), CommandType.LEAVE),
                new CommandReader(settings.getInt(Setting.COMMAND_MAX_BYTES))));
        main.bind("ultraCartCalls", new UltraCartCalls(new UltraCartRequests(mapper), new UltraCartResponses(mapper),
                settings.getInt(Setting.ULTRACART_MAX_RESPONSE_BYTES)));
        main.bind("ultraCartAuthentication", settings.isSet(Setting.ULTRACART_API_KEY)
                ? UltraCartAuthentication.simpleKey(settings.get(Setting.ULTRACART_API_KEY))
                : UltraCartAuthentication.oauthToken(settings.get(Setting.ULTRACART_OAUTH_TOKEN)));
        main.bind("failureClassifier", new FailureClassifier(mapper));
        main.bind("retryCounter", new RetryCounter());
        main.bind("outcomeEvents", new OutcomeEvents(URI.create(settings.get(Setting.EVENT_SOURCE)), mapper,
                Clock.systemUTC()));
        main.bind("deadLetters", new DeadLetters());
        main.bind("offsetCommits", new OffsetCommits());
    }

    static List<String> topics(ConnectorSettings settings) {
        return List.of(settings.get(Setting.TOPIC_COMMAND_START), settings.get(Setting.TOPIC_COMMAND_JOIN),
                settings.get(Setting.TOPIC_COMMAND_LEAVE), settings.get(Setting.TOPIC_EVENTS),
                settings.get(Setting.TOPIC_DLQ));
    }

    private static String routesLocation(ConnectorSettings settings) {
        if (settings.isSet(Setting.ROUTES_LOCATION)) {
            return settings.get(Setting.ROUTES_LOCATION);
        }
        return Files.isDirectory(Path.of("routes")) ? "file:routes/*.yaml" : "classpath:routes/*.yaml";
    }
}
