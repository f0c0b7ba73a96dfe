package io.github.ucconnector.api;

import io.github.ucconnector.command.CommandExchange;
import io.github.ucconnector.command.CommandType;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Runs before each retry of an API call and counts the attempts in {@link CommandExchange#ATTEMPTS}; Camel's own
 * redelivery header is gone by the time the failure is handled. Each retry is counted in the metrics too.
 */
public final class RetryCounter implements Processor {

    private final FailureClassifier classifier;
    private final ApiMeters metrics;

    public RetryCounter(FailureClassifier classifier, ApiMeters metrics) {
        this.classifier = classifier;
        this.metrics = metrics;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(CommandExchange.ATTEMPTS, attempts(exchange) + 1);
        metrics.retried(exchange.getProperty(CommandExchange.COMMAND_TYPE, CommandType.class),
                classifier.classify(FailureClassifier.caught(exchange)).category());
    }

    /** Calls made so far for this command: one, plus the retries. */
    public static int attempts(Exchange exchange) {
        Integer attempts = exchange.getProperty(CommandExchange.ATTEMPTS, Integer.class);
        return attempts == null ? 1 : attempts;
    }
}
