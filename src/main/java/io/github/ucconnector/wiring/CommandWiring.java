package io.github.ucconnector.wiring;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.admin.CommandPauses;
import io.github.ucconnector.api.ApiBudget;
import io.github.ucconnector.api.FailureClassifier;
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
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.event.CloudEventFactory;
import io.github.ucconnector.event.OutcomeEvents;
import io.github.ucconnector.event.PrivateReplies;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.kafka.OutcomeBatches;
import io.github.ucconnector.kafka.PollTimeLimit;
import io.github.ucconnector.metrics.ConnectorMetrics;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Predicate;
import org.apache.camel.spi.Registry;
import org.apache.kafka.common.KafkaException;

/**
 * The command flow (routes/conversation-commands.yaml, routes/command-failures.yaml): from the record to the API
 * call, the outcome records and the commit, and what each kind of failure means.
 */
final class CommandWiring implements CamelConfiguration {

    private final ConnectorSettings settings;
    private final ObjectMapper mapper;
    private final ApiWiring api;
    private final CloudEventFactory events;
    private final PollTimeLimit pollTimeLimit;
    private final ConnectorMetrics metrics;
    private final Map<String, CommandType> typesByTopic;
    private final CommandPauses pauses;

    CommandWiring(ConnectorSettings settings, ObjectMapper mapper, ApiWiring api, CloudEventFactory events,
            PollTimeLimit pollTimeLimit, ConnectorMetrics metrics) {
        this.settings = settings;
        this.mapper = mapper;
        this.api = api;
        this.events = events;
        this.pollTimeLimit = pollTimeLimit;
        this.metrics = metrics;
        this.typesByTopic = CommandType.byTopic(settings::get);
        // While UltraCart is down or refuses the credentials, commands wait on Kafka, not in the consumer's thread.
        this.pauses = new CommandPauses(typesByTopic, api.gate()::holdsCommands);
    }

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        registry.bind("commandIntake", new CommandIntake(typesByTopic,
                new CommandReader(settings.getInt(Setting.COMMAND_MAX_BYTES))));
        registry.bind("commandPauses", pauses);
        // The pausable EIP wants a check of whether consumption may resume; CommandPauses decides per partition.
        registry.bind("noCommandPaused", (java.util.function.Predicate<Object>) ignored -> pauses.paused().isEmpty());
        registry.bind("pollTimeLimit", pollTimeLimit);
        registry.bind("ultraCartCalls", new UltraCartCalls(new UltraCartRequests(mapper), api.responses(),
                settings.getInt(Setting.ULTRACART_MAX_RESPONSE_BYTES)));
        bindFailureHandling(registry);
        OutcomeEvents outcomeEvents = new OutcomeEvents(events);
        registry.bind("outcomeEvents", outcomeEvents);
        PrivateReplies privateReplies = new PrivateReplies(outcomeEvents);
        registry.bind("privateReplies", privateReplies);
        registry.bind("privateReplyExpected", CommandFlow.predicate(privateReplies::expected));
        OutcomeBatches outcomeBatches = new OutcomeBatches(new OutcomeBatches.Topics(settings.get(Setting.TOPIC_EVENTS),
                settings.get(Setting.TOPIC_REPLIES), settings.get(Setting.TOPIC_DLQ)), new DeadLetters(), metrics);
        registry.bind("outcomeBatches", outcomeBatches);
        registry.bind("outcomesToSend", (Predicate) outcomeBatches::hasRecordsToSend);
    }

    /** What the failure handlers (routes/command-failures.yaml) tell apart; the rest is the command's failure. */
    private void bindFailureHandling(Registry registry) {
        CommandFailures failures = new CommandFailures(api.classifier());
        registry.bind("commandFailures", failures);
        registry.bind("kafkaFailed", CommandFailures.causedBy(KafkaException.class));
        registry.bind("commandHandedBack", CommandFailures.causedBy(PollTimeLimit.HandedBackException.class,
                CommandPauses.PausedException.class));
        registry.bind("apiBudgetExhausted", CommandFailures.causedBy(ApiBudget.BudgetExhaustedException.class));
        registry.bind("retryMaySucceed", (Predicate) exchange -> failures.retryMaySucceed(CommandFlow.of(exchange),
                FailureClassifier.caught(exchange)));
        registry.bind("failureLog", new FailureLog());
        registry.bind("retryCounter", new RetryCounter(failures, metrics::retried));
    }

    /** What the admin endpoints pause and resume, per command type. */
    CommandPauses pauses() {
        return pauses;
    }
}
