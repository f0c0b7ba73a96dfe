package io.github.ucconnector.wiring;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.command.CommandFlow;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.ledger.CommandLedger;
import io.github.ucconnector.ledger.LedgerSteps;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * The command ledger: read to its end before the first command (Kafka's start-up), asked before every start, join
 * and leave, and closed once Camel has stopped.
 */
final class LedgerWiring extends MainListenerSupport implements CamelConfiguration {

    private final CommandLedger ledger;

    LedgerWiring(ConnectorSettings settings, Map<String, Object> kafka, ObjectMapper mapper) {
        ledger = CommandLedger.create(kafka, settings.get(Setting.TOPIC_LEDGER), mapper);
    }

    @Override
    public void configure(CamelContext context) {
        LedgerSteps steps = new LedgerSteps(ledger);
        context.getRegistry().bind("commandLedger", steps);
        // The route's predicates are Predicate beans (ref:): a method: predicate copies the exchange on every call.
        context.getRegistry().bind("outcomeAlreadyPublished", CommandFlow.predicate(steps::isDone));
    }

    /** Reads the ledger to its end: part of Kafka's start-up. */
    void open() {
        ledger.open();
    }

    @Override
    public void afterStop(BaseMainSupport stopped) {
        ledger.close();
    }
}
