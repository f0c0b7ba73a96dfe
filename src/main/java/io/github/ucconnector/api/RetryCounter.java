package io.github.ucconnector.api;

import io.github.ucconnector.command.CommandExchange;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Runs before each retry of an API call and counts the attempts in {@link CommandExchange#ATTEMPTS}; Camel's own
 * redelivery header is gone by the time the failure is handled.
 */
public final class RetryCounter implements Processor {

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(CommandExchange.ATTEMPTS, attempts(exchange) + 1);
    }

    /** Calls made so far for this command: one, plus the retries. */
    public static int attempts(Exchange exchange) {
        Integer attempts = exchange.getProperty(CommandExchange.ATTEMPTS, Integer.class);
        return attempts == null ? 1 : attempts;
    }
}
