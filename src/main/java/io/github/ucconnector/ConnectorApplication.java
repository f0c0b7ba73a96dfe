package io.github.ucconnector;

import java.util.List;

import io.github.ucconnector.admin.CommandPauses;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.RoutesLocation;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.kafka.PollTimeLimit;
import io.github.ucconnector.tracing.Tracing;
import io.github.ucconnector.wiring.ConnectorWiring;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.main.Main;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The connector proper: camel-main with the YAML routes, the settings as property placeholders, and the beans of
 * each area (package {@code wiring}). Kafka and UltraCart (or the sandbox) must already be reachable at the
 * configured addresses.
 */
public final class ConnectorApplication {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorApplication.class);

    private ConnectorApplication() {
    }

    /**
     * Prepares camel-main; the caller starts it ({@code run} or {@code start}). The missing topics are created and
     * the ledger is read while Camel configures itself, and Camel starts nothing before that is done.
     */
    public static Main create(ConnectorSettings settings) {
        boolean details = logSettings(settings);
        Main main = new Main();
        Tracing.configure(main);
        // Camel's summaries list every camel.* option, placeholder and route, the same on every start: details for
        // support, shown with LOG_STARTUP_DETAILS.
        main.configure().setAutoConfigurationLogSummary(details);
        main.configure().setStartupSummaryLevel(details ? StartupSummaryLevel.Default : StartupSummaryLevel.Brief);
        settings.placeholders().forEach(main::addOverrideProperty);
        main.addOverrideProperty("camel.main.routes-include-pattern", RoutesLocation.of(settings));
        // The command consumer's topics, one per command type.
        main.addOverrideProperty("topic.commands", String.join(",", ConnectorWiring.commandTopics(settings)));
        // The admin routes start only with a token to check; without one their paths do not exist.
        main.addOverrideProperty("admin.enabled", String.valueOf(settings.adminEndpointsEnabled()));
        // Kafka creates the command consumer's interceptors by class name; the held-back records of paused command
        // types must be out of a poll before the poll clock sees it.
        main.addOverrideProperty("kafka.command-interceptors",
                CommandPauses.Holdback.class.getName() + "," + PollTimeLimit.PollClock.class.getName());
        // Outcome records are bytes as they are: a dead letter reproduces its command record byte for byte.
        main.addOverrideProperty("kafka.outcome-serializer", ByteArraySerializer.class.getName());
        ConnectorWiring.addTo(main, settings);
        return main;
    }

    /**
     * Logs the settings configured to differ from their defaults; every setting too with
     * {@link Setting#LOG_STARTUP_DETAILS} (else at DEBUG). Returns whether the start-up details are on.
     */
    private static boolean logSettings(ConnectorSettings settings) {
        boolean details = settings.getBoolean(Setting.LOG_STARTUP_DETAILS);
        List<String> changed = settings.changedSummary();
        String hint = details ? ""
                : " (" + Setting.LOG_STARTUP_DETAILS.environmentVariable() + "=true lists every setting)";
        if (changed.isEmpty()) {
            LOG.info("Settings: all at their defaults{}", hint);
        } else {
            LOG.info("Settings that differ from their defaults{}:\n  {}", hint, String.join("\n  ", changed));
        }
        LOG.atLevel(details ? Level.INFO : Level.DEBUG)
                .log("Settings in use:\n  {}", String.join("\n  ", settings.summary()));
        return details;
    }
}
