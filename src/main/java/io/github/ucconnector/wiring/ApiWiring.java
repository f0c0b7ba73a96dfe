package io.github.ucconnector.wiring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.api.ApiBudget;
import io.github.ucconnector.api.ApiGate;
import io.github.ucconnector.api.CredentialFile;
import io.github.ucconnector.api.FailureClassifier;
import io.github.ucconnector.api.UltraCartAuthentication;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.kafka.PollTimeLimit;
import io.github.ucconnector.metrics.ConnectorMetrics;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Conversation API client: one budget for every call, the credentials and the gate that pauses all calls while
 * they are refused or UltraCart is down, and one HTTP client per caller (commands, polling), each drawing from that budget.
 */
final class ApiWiring implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ApiWiring.class);

    private final ApiBudget budget;
    private final ApiGate gate;
    private final UltraCartAuthentication commandClient;
    private final UltraCartAuthentication pollingClient;
    private final UltraCartResponses responses;
    private final FailureClassifier classifier;

    ApiWiring(ConnectorSettings settings, ObjectMapper mapper, PollTimeLimit pollTimeLimit, ConnectorMetrics metrics) {
        budget = budget(settings, pollTimeLimit);
        metrics.watch(budget);
        gate = new ApiGate(Duration.ofMillis(settings.getInt(Setting.ULTRACART_AUTH_RETRY_INTERVAL_MS)),
                settings.getInt(Setting.ULTRACART_OUTAGE_THRESHOLD),
                Duration.ofMillis(settings.getInt(Setting.ULTRACART_OUTAGE_MIN_DURATION_MS)),
                Duration.ofMillis(settings.getInt(Setting.ULTRACART_OUTAGE_PROBE_INTERVAL_MS)),
                Duration.ofMillis(settings.getInt(Setting.ULTRACART_OUTAGE_PROBE_MAX_INTERVAL_MS)));
        metrics.watch(gate);
        boolean simpleKey = settings.isSet(Setting.ULTRACART_API_KEY) || settings.isSet(Setting.ULTRACART_API_KEY_FILE);
        Supplier<String> credential = simpleKey
                ? credential(settings, Setting.ULTRACART_API_KEY, Setting.ULTRACART_API_KEY_FILE)
                : credential(settings, Setting.ULTRACART_OAUTH_TOKEN, Setting.ULTRACART_OAUTH_TOKEN_FILE);
        commandClient = httpClient(simpleKey, credential, ApiBudget.Priority.COMMAND, metrics);
        pollingClient = httpClient(simpleKey, credential, ApiBudget.Priority.POLL, metrics);
        responses = new UltraCartResponses(mapper);
        classifier = new FailureClassifier(mapper);
    }

    @Override
    public void configure(CamelContext context) {
        context.getRegistry().bind("apiGate", gate);
        context.getRegistry().bind("ultraCartCommands", commandClient);
        context.getRegistry().bind("ultraCartPolling", pollingClient);
        HealthCheckRegistry.get(context).register(gate.credentialsCheck());
        HealthCheckRegistry.get(context).register(gate.availabilityCheck());
    }

    ApiBudget budget() {
        return budget;
    }

    ApiGate gate() {
        return gate;
    }

    UltraCartResponses responses() {
        return responses;
    }

    FailureClassifier classifier() {
        return classifier;
    }

    /** UltraCart's limits are per account: with several instances each one spends only its share. */
    private static ApiBudget budget(ConnectorSettings settings, PollTimeLimit pollTimeLimit) {
        int instances = settings.getInt(Setting.ULTRACART_BUDGET_INSTANCES);
        long hourlyShare = ApiBudget.shareOf(settings.getInt(Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR), instances);
        if (settings.getBoolean(Setting.POLL_ENABLED)
                && settings.getInt(Setting.ULTRACART_BUDGET_POLL_RESERVE) >= hourlyShare) {
            LOG.warn("This instance's share of the hourly API budget ({}) is not above the poll reserve ({}): "
                    + "it will never poll when it is the active poller", hourlyShare,
                    settings.get(Setting.ULTRACART_BUDGET_POLL_RESERVE));
        }
        return new ApiBudget(
                hourlyShare,
                ApiBudget.shareOf(settings.getInt(Setting.ULTRACART_BUDGET_REQUESTS_PER_DAY), instances),
                settings.getInt(Setting.ULTRACART_BUDGET_MAX_CONCURRENT),
                settings.getInt(Setting.ULTRACART_BUDGET_POLL_RESERVE),
                pollTimeLimit::remaining,
                Duration.ofMillis(settings.getInt(Setting.ULTRACART_RETRY_DELAY_MS)),
                Duration.ofMillis(settings.getInt(Setting.ULTRACART_RETRY_MAX_DELAY_MS)),
                Duration.ofMillis(settings.optionalInt(Setting.ULTRACART_TIMED_OUT_CALL_GRACE_MS)
                        .orElse(settings.getInt(Setting.ULTRACART_RESPONSE_TIMEOUT_MS))));
    }

    /** The credential from its setting, or from its file, re-read when the file changes. */
    private static Supplier<String> credential(ConnectorSettings settings, Setting value, Setting file) {
        if (settings.isSet(file)) {
            return CredentialFile.open(Path.of(settings.get(file)));
        }
        String fixed = settings.get(value);
        return () -> fixed;
    }

    private UltraCartAuthentication httpClient(boolean simpleKey, Supplier<String> credential,
            ApiBudget.Priority priority, ConnectorMetrics metrics) {
        return simpleKey
                ? UltraCartAuthentication.simpleKey(credential, budget, gate, priority, metrics)
                : UltraCartAuthentication.oauthToken(credential, budget, gate, priority, metrics);
    }
}
