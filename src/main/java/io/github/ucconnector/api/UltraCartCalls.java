package io.github.ucconnector.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.github.ucconnector.command.Command;
import io.github.ucconnector.command.CommandExchange;
import org.apache.camel.Exchange;
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
        ApiRequest request = requests.requestFor(exchange.getProperty(CommandExchange.COMMAND, Command.class));
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_METHOD, request.method());
        message.setHeader(Exchange.HTTP_PATH, request.path());
        if (request.jsonBody() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        message.setBody(request.jsonBody());
    }

    /** Replaces the HTTP answer with the operation's result (the started conversation, or nothing). */
    public void readResult(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        Command command = exchange.getProperty(CommandExchange.COMMAND, Command.class);
        message.setBody(responses.read(command, boundedBody(message)));
    }

    private String boundedBody(Message message) throws IOException {
        try (InputStream body = message.getBody(InputStream.class)) {
            if (body == null) {
                return "";
            }
            byte[] bytes = body.readNBytes(maxResponseBytes + 1);
            if (bytes.length > maxResponseBytes) {
                throw new UltraCartApiException(FailureCategory.INVALID_RESPONSE,
                        message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class), null, null,
                        "the answer is larger than " + maxResponseBytes + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
