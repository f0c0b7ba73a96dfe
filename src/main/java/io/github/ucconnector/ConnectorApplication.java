package io.github.ucconnector;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.admin.AdminErrors;
import io.github.ucconnector.admin.AdminToken;
import io.github.ucconnector.admin.CommandPauses;
import io.github.ucconnector.admin.OperatorPauses;
import io.github.ucconnector.admin.OperatorRedrives;
import io.github.ucconnector.api.ApiBudget;
import io.github.ucconnector.api.CredentialFile;
import io.github.ucconnector.api.CredentialsGate;
import io.github.ucconnector.api.FailureClassifier;
import io.github.ucconnector.api.UltraCartAuthentication;
import io.github.ucconnector.api.UltraCartJson;
import io.github.ucconnector.api.UltraCartResponses;
import io.github.ucconnector.command.CommandFailures;
import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.command.CommandIntake;
import io.github.ucconnector.command.CommandReader;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.command.FailureLog;
import io.github.ucconnector.command.RetryCounter;
import io.github.ucconnector.command.UltraCartCalls;
import io.github.ucconnector.command.UltraCartRequests;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.RoutesLocation;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.event.CloudEventFactory;
import io.github.ucconnector.event.OutcomeEvents;
import io.github.ucconnector.event.PrivateReplies;
import io.github.ucconnector.health.ReadinessCheck;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.kafka.KafkaClientSecurity;
import io.github.ucconnector.kafka.OutcomeBatches;
import io.github.ucconnector.kafka.PollTimeLimit;
import io.github.ucconnector.kafka.GroupSessionLimits;
import io.github.ucconnector.kafka.TopicInitializer;
import io.github.ucconnector.ledger.CommandLedger;
import io.github.ucconnector.ledger.LedgerSteps;
import io.github.ucconnector.metrics.ConnectorMetrics;
import io.github.ucconnector.metrics.RouteMeters;
import io.github.ucconnector.polling.ActivePoller;
import io.github.ucconnector.polling.ChangeEvents;
import io.github.ucconnector.polling.ConversationPoller;
import io.github.ucconnector.polling.EnrichMode;
import io.github.ucconnector.polling.KnownConversations;
import io.github.ucconnector.polling.PollerLeadership;
import io.github.ucconnector.redrive.DeadLetterRedrive;
import io.github.ucconnector.tracing.Tracing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The connector proper: camel-main with the YAML routes, the beans they call, and the settings as property
 * placeholders. Kafka and UltraCart (or the sandbox) must already be reachable at the configured addresses.
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
        KafkaClientSecurity security = KafkaClientSecurity.from(settings);
        // Every Kafka client the connector creates starts from this: the cluster's address and how to log in.
        Map<String, Object> kafka = security.clientConfig(settings.get(Setting.KAFKA_BOOTSTRAP_SERVERS));
        Main main = new Main();
        Tracing.configure(main);
        // Camel's summaries list every camel.* option, placeholder and route, the same on every start: details for
        // support, shown with LOG_STARTUP_DETAILS.
        main.configure().setAutoConfigurationLogSummary(details);
        main.configure().setStartupSummaryLevel(details ? StartupSummaryLevel.Default : StartupSummaryLevel.Brief);
        settings.placeholders().forEach(main::addOverrideProperty);
        // The command consumer's topics, one per command type.
        main.addOverrideProperty("topic.commands", String.join(",", commandTopics(settings)));
        main.addOverrideProperty("camel.main.routes-include-pattern", RoutesLocation.of(settings));
        // The admin routes start only with a token to check; without one their paths do not exist.
        main.addOverrideProperty("admin.enabled", String.valueOf(settings.adminEndpointsEnabled()));
        // Kafka creates the command consumer's interceptors by class name; the held-back records of paused command
        // types must be out of a poll before the poll clock sees it.
        main.addOverrideProperty("kafka.command-interceptors",
                CommandPauses.Holdback.class.getName() + "," + PollTimeLimit.PollClock.class.getName());
        // Outcome records are bytes as they are: a dead letter reproduces its command record byte for byte.
        main.addOverrideProperty("kafka.outcome-serializer", ByteArraySerializer.class.getName());
        ObjectMapper mapper = UltraCartJson.mapper();
        // Read from the summaries topic by the instance that becomes the active poller (ActivePoller).
        KnownConversations known = new KnownConversations(mapper);
        CommandLedger ledger = CommandLedger.create(kafka, settings.get(Setting.TOPIC_LEDGER), mapper);
        // Kafka's part of the start-up (the topics, then the ledger read to its end) runs while Camel sets itself
        // up; Camel starts nothing before it is done.
        CompletableFuture<Void> kafkaReady = CompletableFuture.runAsync(() -> {
            requireSessionTimeoutsTheBrokerAllows(settings, kafka);
            createTopics(settings, kafka);
            ledger.open();
        }, task -> {
            Thread thread = new Thread(task, "connector-kafka-start-up");
            thread.setDaemon(true);
            thread.start();
        });
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                awaitKafka(kafkaReady);
                // From Java, not application.properties: secrets must never become property placeholders.
                security.applyTo(configured.getCamelContext().getComponent("kafka", KafkaComponent.class));
                RouteMeters.onlyForFlowStarts(configured.getCamelContext());
            }

            @Override
            public void afterStop(BaseMainSupport stopped) {
                ledger.close();
            }
        });
        LedgerSteps ledgerSteps = new LedgerSteps(ledger);
        main.bind("commandLedger", ledgerSteps);
        // The route's predicates are Predicate beans (ref:): a method: predicate copies the exchange on every call.
        main.bind("outcomeAlreadyPublished", CommandFlow.predicate(ledgerSteps::isDone));
        // camel-micrometer-prometheus serves the registry bound under this name, so the connector's meters and
        // Camel's own are scraped together on the management port.
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        main.bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        bindBeans(main, settings, kafka, mapper, known, new ConnectorMetrics(registry));
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

    private static void bindBeans(Main main, ConnectorSettings settings, Map<String, Object> kafka,
            ObjectMapper mapper, KnownConversations known, ConnectorMetrics metrics) {
        Map<String, CommandType> commandTopics = CommandType.byTopic(settings::get);
        main.bind("commandIntake", new CommandIntake(commandTopics,
                new CommandReader(settings.getInt(Setting.COMMAND_MAX_BYTES))));
        UltraCartResponses responses = new UltraCartResponses(mapper);
        main.bind("ultraCartCalls", new UltraCartCalls(new UltraCartRequests(mapper), responses,
                settings.getInt(Setting.ULTRACART_MAX_RESPONSE_BYTES)));
        // UltraCart's limits are per account: with several instances each one spends only its share.
        int instances = settings.getInt(Setting.ULTRACART_BUDGET_INSTANCES);
        long hourlyShare = ApiBudget.shareOf(settings.getInt(Setting.ULTRACART_BUDGET_REQUESTS_PER_HOUR), instances);
        if (settings.getBoolean(Setting.POLL_ENABLED)
                && settings.getInt(Setting.ULTRACART_BUDGET_POLL_RESERVE) >= hourlyShare) {
            LOG.warn("This instance's share of the hourly API budget ({}) is not above the poll reserve ({}): "
                    + "it will never poll when it is the active poller", hourlyShare,
                    settings.get(Setting.ULTRACART_BUDGET_POLL_RESERVE));
        }
        PollTimeLimit pollTimeLimit =
                new PollTimeLimit(Duration.ofMillis(settings.getInt(Setting.KAFKA_POLL_TIME_LIMIT_MS)));
        main.bind("pollTimeLimit", pollTimeLimit);
        ApiBudget budget = new ApiBudget(
                hourlyShare,
                ApiBudget.shareOf(settings.getInt(Setting.ULTRACART_BUDGET_REQUESTS_PER_DAY), instances),
                settings.getInt(Setting.ULTRACART_BUDGET_MAX_CONCURRENT),
                settings.getInt(Setting.ULTRACART_BUDGET_POLL_RESERVE),
                pollTimeLimit::remaining,
                Duration.ofMillis(settings.getInt(Setting.ULTRACART_RETRY_DELAY_MS)),
                Duration.ofMillis(settings.getInt(Setting.ULTRACART_RETRY_MAX_DELAY_MS)),
                Duration.ofMillis(settings.optionalInt(Setting.ULTRACART_TIMED_OUT_CALL_GRACE_MS)
                        .orElse(settings.getInt(Setting.ULTRACART_RESPONSE_TIMEOUT_MS))));
        metrics.watch(budget);
        CredentialsGate gate = new CredentialsGate(Duration.ofMillis(settings.getInt(Setting.ULTRACART_AUTH_RETRY_INTERVAL_MS)));
        main.bind("credentialsGate", gate);
        ReadinessCheck credentialsCheck = gate.readinessCheck();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                HealthCheckRegistry.get(configured.getCamelContext()).register(credentialsCheck);
            }
        });
        boolean simpleKey = settings.isSet(Setting.ULTRACART_API_KEY) || settings.isSet(Setting.ULTRACART_API_KEY_FILE);
        Supplier<String> credential = simpleKey
                ? credential(settings, Setting.ULTRACART_API_KEY, Setting.ULTRACART_API_KEY_FILE)
                : credential(settings, Setting.ULTRACART_OAUTH_TOKEN, Setting.ULTRACART_OAUTH_TOKEN_FILE);
        main.bind("ultraCartCommands",
                httpClient(simpleKey, credential, budget, gate, ApiBudget.Priority.COMMAND, metrics));
        main.bind("ultraCartPolling", httpClient(simpleKey, credential, budget, gate, ApiBudget.Priority.POLL, metrics));
        CommandFailures failures = new CommandFailures(new FailureClassifier(mapper));
        main.bind("commandFailures", failures);
        // What the failure handlers (routes/command-failures.yaml) tell apart; the rest is the command's failure.
        main.bind("kafkaFailed", CommandFailures.causedBy(KafkaException.class));
        main.bind("commandHandedBack", CommandFailures.causedBy(PollTimeLimit.HandedBackException.class,
                CommandPauses.PausedException.class));
        main.bind("apiBudgetExhausted", CommandFailures.causedBy(ApiBudget.BudgetExhaustedException.class));
        main.bind("retryMaySucceed", (Predicate) exchange -> failures.retryMaySucceed(CommandFlow.of(exchange),
                FailureClassifier.caught(exchange)));
        main.bind("failureLog", new FailureLog());
        main.bind("retryCounter", new RetryCounter(failures, metrics::retried));
        CloudEventFactory events = new CloudEventFactory(URI.create(settings.get(Setting.EVENT_SOURCE)), mapper,
                Clock.systemUTC());
        OutcomeEvents outcomeEvents = new OutcomeEvents(events);
        main.bind("outcomeEvents", outcomeEvents);
        PrivateReplies privateReplies = new PrivateReplies(outcomeEvents);
        main.bind("privateReplies", privateReplies);
        main.bind("privateReplyExpected", CommandFlow.predicate(privateReplies::expected));
        ConversationPoller poller = new ConversationPoller(known, responses, mapper,
                EnrichMode.of(settings.get(Setting.POLL_ENRICH)), settings.getBoolean(Setting.POLL_BACKFILL),
                Duration.ofMillis(settings.getInt(Setting.POLL_FULL_SCAN_INTERVAL_MS)),
                settings.getInt(Setting.ULTRACART_MAX_RESPONSE_BYTES), Clock.systemUTC(), metrics);
        main.bind("conversationPoller", poller);
        ActivePoller activePoller = bindActivePoller(main, settings, kafka, known, poller, metrics);
        bindAdmin(main, settings, commandTopics, activePoller, budget, metrics);
        main.bind("operatorRedrives", new OperatorRedrives(DeadLetterRedrive.of(settings, kafka), Clock.systemUTC()));
        main.bind("changeEvents", new ChangeEvents(events, mapper));
        OutcomeBatches outcomeBatches = new OutcomeBatches(new OutcomeBatches.Topics(settings.get(Setting.TOPIC_EVENTS),
                settings.get(Setting.TOPIC_REPLIES), settings.get(Setting.TOPIC_DLQ)), new DeadLetters(), metrics);
        main.bind("outcomeBatches", outcomeBatches);
        main.bind("outcomesToSend", (Predicate) outcomeBatches::hasRecordsToSend);
    }

    /**
     * However many instances run, one polls: the one Kafka's group coordinator gives the poller lease. The bean is
     * bound even with polling off, for the route steps that ask whether this instance is the active poller.
     */
    private static ActivePoller bindActivePoller(Main main, ConnectorSettings settings, Map<String, Object> kafka,
            KnownConversations known, ConversationPoller poller, ConnectorMetrics metrics) {
        PollerLeadership leadership = settings.getBoolean(Setting.POLL_ENABLED)
                ? new PollerLeadership(kafka, settings.get(Setting.KAFKA_GROUP_ID) + "-poller",
                        settings.get(Setting.TOPIC_POLLER_LEASE),
                        Duration.ofMillis(settings.getInt(Setting.POLL_FAILOVER_TIMEOUT_MS)),
                        settings.getInt(Setting.ULTRACART_BUDGET_INSTANCES))
                : null;
        ActivePoller activePoller = new ActivePoller(known, poller, kafka, settings.get(Setting.TOPIC_SUMMARIES),
                leadership, metrics);
        main.bind("activePoller", activePoller);
        if (leadership == null) {
            return activePoller;
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                CamelContext context = configured.getCamelContext();
                HealthCheckRegistry.get(context).register(leadership.readinessCheck());
                ActivePoller.Lifecycle lifecycle = activePoller.lifecycle();
                try {
                    // Seeks the lease once Camel has fully started; gives it back after Camel stopped the routes.
                    context.addStartupListener(lifecycle);
                    context.addService(lifecycle, true, false);
                } catch (Exception e) {
                    throw new IllegalStateException("Could not register the active poller", e);
                }
            }
        });
        return activePoller;
    }

    /**
     * What the admin endpoints (routes/admin.yaml) act on. The command route's pausable step needs the command
     * pauses whether or not the endpoints are on; so does the readiness check, which is UP while nothing is paused.
     */
    private static void bindAdmin(Main main, ConnectorSettings settings, Map<String, CommandType> commandTopics,
            ActivePoller activePoller, ApiBudget budget, ConnectorMetrics metrics) {
        CommandPauses commandPauses = new CommandPauses(commandTopics);
        main.bind("commandPauses", commandPauses);
        // The pausable EIP wants a check of whether consumption may resume; CommandPauses decides per partition.
        main.bind("noCommandPaused", (java.util.function.Predicate<Object>) ignored -> commandPauses.paused().isEmpty());
        OperatorPauses operatorPauses = new OperatorPauses(commandPauses, activePoller, budget, metrics);
        main.bind("operatorPauses", operatorPauses);
        main.bind("adminErrors", new AdminErrors());
        // Without a token the admin routes do not start; the bean is there for the route steps that name it.
        main.bind("adminToken", !settings.adminEndpointsEnabled() ? AdminToken.none()
                : new AdminToken(settings.isSet(Setting.MANAGEMENT_ADMIN_TOKEN_FILE)
                        ? CredentialFile.open(Path.of(settings.get(Setting.MANAGEMENT_ADMIN_TOKEN_FILE)), "admin token",
                                "admin requests need the new one from now on")
                        : fixed(settings.get(Setting.MANAGEMENT_ADMIN_TOKEN))));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                HealthCheckRegistry.get(configured.getCamelContext()).register(operatorPauses.readinessCheck());
            }
        });
    }

    private static Supplier<String> fixed(String value) {
        return () -> value;
    }

    /** The credential from its setting, or from its file, re-read when the file changes. */
    private static Supplier<String> credential(ConnectorSettings settings, Setting value, Setting file) {
        if (settings.isSet(file)) {
            return CredentialFile.open(Path.of(settings.get(file)));
        }
        return fixed(settings.get(value));
    }

    /** Each API endpoint gets its own HTTP client; all of them draw from the one budget and use one credential. */
    private static UltraCartAuthentication httpClient(boolean simpleKey, Supplier<String> credential,
            ApiBudget budget, CredentialsGate gate, ApiBudget.Priority priority, ConnectorMetrics metrics) {
        return simpleKey
                ? UltraCartAuthentication.simpleKey(credential, budget, gate, priority, metrics)
                : UltraCartAuthentication.oauthToken(credential, budget, gate, priority, metrics);
    }

    /**
     * A consumer whose session timeout the broker does not allow never joins its group: the commands would not be
     * consumed, or no instance would ever poll, while the process looks healthy.
     */
    private static void requireSessionTimeoutsTheBrokerAllows(ConnectorSettings settings, Map<String, Object> kafka) {
        List<GroupSessionLimits.SessionTimeout> timeouts = new ArrayList<>();
        timeouts.add(new GroupSessionLimits.SessionTimeout("command consumers",
                Duration.ofMillis(settings.getInt(Setting.KAFKA_SESSION_TIMEOUT_MS)),
                Setting.KAFKA_SESSION_TIMEOUT_MS.environmentVariable(), 1));
        if (settings.getBoolean(Setting.POLL_ENABLED)) {
            timeouts.add(new GroupSessionLimits.SessionTimeout("poller lease", PollerLeadership.sessionTimeout(
                    Duration.ofMillis(settings.getInt(Setting.POLL_FAILOVER_TIMEOUT_MS))),
                    Setting.POLL_FAILOVER_TIMEOUT_MS.environmentVariable(), PollerLeadership.FAILOVER_PER_SESSION_TIMEOUT));
        }
        Optional<GroupSessionLimits> limits;
        try {
            limits = GroupSessionLimits.read(kafka);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading the broker's session timeout limits", e);
        }
        if (limits.isEmpty()) {
            LOG.warn("Could not read the broker's {} and {}: a session timeout outside them shows as the poller "
                    + "lease's readiness check going DOWN", "group.min.session.timeout.ms", "group.max.session.timeout.ms");
            return;
        }
        List<String> problems = limits.get().problems(timeouts);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Settings the Kafka cluster refuses: " + String.join("; ", problems));
        }
    }

    /** Creates the connector's topics that are missing. */
    private static void createTopics(ConnectorSettings settings, Map<String, Object> kafka) {
        List<TopicInitializer.Topic> topics = new ArrayList<>(
                topics(settings).stream().map(TopicInitializer.Topic::plain).toList());
        // The summaries topic keeps the latest summary per conversation: it is the poller's memory.
        topics.add(new TopicInitializer.Topic(settings.get(Setting.TOPIC_SUMMARIES), Optional.empty(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        // The ledger keeps the latest state per command, for as long as duplicates are to be caught.
        topics.add(new TopicInitializer.Topic(settings.get(Setting.TOPIC_LEDGER), Optional.empty(), Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, settings.get(Setting.LEDGER_RETENTION_MS))));
        // The poller lease has one partition, whatever topic.partitions says: exactly one instance can hold it.
        topics.add(new TopicInitializer.Topic(settings.get(Setting.TOPIC_POLLER_LEASE), Optional.of(1), Map.of()));
        List<String> created;
        try {
            created = new TopicInitializer(kafka, settings.optionalInt(Setting.TOPIC_PARTITIONS),
                    settings.optionalInt(Setting.TOPIC_REPLICATION_FACTOR).map(Integer::shortValue)).ensureExist(topics);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the connector's topics", e);
        }
        if (!created.isEmpty()) {
            LOG.info("Created topics {}", created);
        }
    }

    /** Waits for Kafka's part of the start-up; its failure (no broker, refused credentials) is the start's. */
    private static void awaitKafka(CompletableFuture<Void> kafkaReady) {
        try {
            kafkaReady.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    /** The plain topics: the command topics and those the command outcomes go to. */
    static List<String> topics(ConnectorSettings settings) {
        List<String> topics = new ArrayList<>(commandTopics(settings));
        topics.addAll(List.of(settings.get(Setting.TOPIC_EVENTS), settings.get(Setting.TOPIC_DLQ),
                settings.get(Setting.TOPIC_REPLIES)));
        return topics;
    }

    private static List<String> commandTopics(ConnectorSettings settings) {
        return CommandType.topicSettings().stream().map(settings::get).toList();
    }
}
