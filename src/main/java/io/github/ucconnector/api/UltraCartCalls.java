package io.github.ucconnector.api;

import java.io.IOException;

import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandExchange;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.Message;

/** The route's side of an API call: turns the command into the HTTP request and the answer into the result. */
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
        write(exchange.getMessage(), requests.requestFor(exchange.getProperty(CommandExchange.COMMAND, Command.class)));
    }

    /** Replaces the message with the request as camel-http sends it; no earlier header reaches UltraCart. */
    public static void write(Message message, ApiRequest request) {
        message.getHeaders().clear();
        // The enum camel-http expects: as text it would go through a type converter lookup on every call.
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(request.method()));
        message.setHeader(Exchange.HTTP_PATH, request.path());
        if (request.query() != null) {
            message.setHeader(Exchange.HTTP_QUERY, request.query());
        }
        if (request.jsonBody() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        message.setBody(request.jsonBody());
    }

    /**
     * Replaces the HTTP answer with the operation's result (a conversation, an upload URL, an agent authorization,
     * or nothing) and keeps it as {@link CommandExchange#RESULT} for the reply and the outcome event.
     */
    public void readResult(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        Command command = exchange.getProperty(CommandExchange.COMMAND, Command.class);
        Object result = responses.result(command, ResponseBodies.read(message, maxResponseBytes));
        exchange.setProperty(CommandExchange.RESULT, result);
        message.setBody(result);
    }
}
