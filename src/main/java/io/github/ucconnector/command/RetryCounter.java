package io.github.ucconnector.command;

import java.util.function.BiConsumer;

import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.api.FailureClassifier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Runs before each retry of an API call and counts the attempts in the {@link CommandFlow}; Camel's own redelivery
 * header is gone by the time the failure is handled. Each retry is reported too, for the metrics.
 */
public final class RetryCounter implements Processor {

    private final CommandFailures failures;
    private final BiConsumer<CommandType, FailureCategory> retried;

    public RetryCounter(CommandFailures failures, BiConsumer<CommandType, FailureCategory> retried) {
        this.failures = failures;
        this.retried = retried;
    }

    @Override
    public void process(Exchange exchange) {
        CommandFlow flow = CommandFlow.of(exchange);
        flow.retrying();
        retried.accept(flow.type(), failures.classify(FailureClassifier.caught(exchange)).category());
    }
}
