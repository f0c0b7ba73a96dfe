package io.github.ucconnector.api;

import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * One Conversation API call, made by {@link ApiOperation#request}: the operation, its path below the base URL (ids
 * already encoded), the query string (already encoded, without {@code ?}) or {@code null} for none, and the JSON
 * body, or {@code null} for none.
 */
public record ApiRequest(ApiOperation operation, String path, String query, String jsonBody) {

    /**
     * The exchange property with the operation of the request on the message: it goes with the exchange to the
     * HTTP client and the call's span, never to UltraCart.
     */
    private static final String OPERATION = "UltraCartApiOperation";
    /** Where camel-http puts the exchange in the HTTP client's context (see {@link ExchangeInHttpClientContext}). */
    private static final String EXCHANGE_IN_CONTEXT = Exchange.class.getName();

    public String method() {
        return operation.method();
    }

    /** Replaces the message with the request as camel-http sends it; no earlier header reaches UltraCart. */
    public void writeTo(Message message) {
        message.getHeaders().clear();
        // The enum camel-http expects: as text it would go through a type converter lookup on every call.
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method()));
        message.setHeader(Exchange.HTTP_PATH, path);
        if (query != null) {
            message.setHeader(Exchange.HTTP_QUERY, query);
        }
        if (jsonBody != null) {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        message.setBody(jsonBody);
        message.getExchange().setProperty(OPERATION, operation);
    }

    /** The operation of the request the exchange's message was made into by {@link #writeTo}. */
    public static Optional<ApiOperation> operationOf(Exchange exchange) {
        return Optional.ofNullable(exchange.getProperty(OPERATION, ApiOperation.class));
    }

    /** The id of the exchange an HTTP client is making a call for, from the call's context. */
    public static Optional<String> exchangeIdOf(HttpContext context) {
        return context.getAttribute(EXCHANGE_IN_CONTEXT) instanceof Exchange exchange
                ? Optional.of(exchange.getExchangeId()) : Optional.empty();
    }

    /** The operation of the request an HTTP client is making for camel-http, from the call's context. */
    public static Optional<ApiOperation> operationOf(HttpContext context) {
        return context.getAttribute(EXCHANGE_IN_CONTEXT) instanceof Exchange exchange
                ? operationOf(exchange) : Optional.empty();
    }
}
