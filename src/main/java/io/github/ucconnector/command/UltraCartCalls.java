package io.github.ucconnector.command;

import java.io.IOException;

import io.github.ucconnector.api.ResponseBodies;
import io.github.ucconnector.api.UltraCartResponses;
import org.apache.camel.Exchange;

/** The route's side of an API call: turns the command into the HTTP request and the answer into the outcome. */
public final class UltraCartCalls {

    private final UltraCartRequests requests;
    private final UltraCartResponses responses;
    private final int maxResponseBytes;

    public UltraCartCalls(UltraCartRequests requests, UltraCartResponses responses, int maxResponseBytes) {
        this.requests = requests;
        this.responses = responses;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** Replaces the message with the HTTP request; headers from the command record are not passed on to UltraCart. */
    public void prepare(Exchange exchange) {
        requests.requestFor(CommandFlow.of(exchange).command()).writeTo(exchange.getMessage());
    }

    /** Reads the HTTP answer into the command's {@link CommandOutcome}, for the reply and the outcome event. */
    public void readResult(Exchange exchange) throws IOException {
        CommandFlow flow = CommandFlow.of(exchange);
        flow.succeeded(flow.command().outcome(responses, ResponseBodies.read(exchange.getMessage(), maxResponseBytes)));
    }
}
