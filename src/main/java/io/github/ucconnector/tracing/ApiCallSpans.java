package io.github.ucconnector.tracing;

import io.github.ucconnector.api.ApiOperation;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.decorators.HttpSpanDecorator;
import org.apache.camel.telemetry.decorators.HttpsSpanDecorator;

/**
 * HTTP spans of Conversation API calls name their operation ({@value #OPERATION}), as the API's specification
 * does; Camel's decorator adds the method, the base URL and the answer's status. The credentials go in headers
 * the HTTP client adds, which no span sees.
 */
public final class ApiCallSpans {

    /** The span attribute with the API operation's id, e.g. {@code startConversation}. */
    public static final String OPERATION = "ultracart.operation";

    private ApiCallSpans() {
    }

    static void nameOperation(Span span, Exchange exchange) {
        Object method = exchange.getIn().getHeader(Exchange.HTTP_METHOD);
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        if (method != null && path != null) {
            ApiOperation.of(method.toString(), path)
                    .ifPresent(operation -> span.setTag(OPERATION, operation.operationId()));
        }
    }

    /** The sandbox and tests call the API over plain HTTP. */
    public static class Http extends HttpSpanDecorator {
        @Override
        public void beforeTracingEvent(Span span, Exchange exchange, Endpoint endpoint) {
            super.beforeTracingEvent(span, exchange, endpoint);
            nameOperation(span, exchange);
        }
    }

    /** UltraCart itself. */
    public static class Https extends HttpsSpanDecorator {
        @Override
        public void beforeTracingEvent(Span span, Exchange exchange, Endpoint endpoint) {
            super.beforeTracingEvent(span, exchange, endpoint);
            nameOperation(span, exchange);
        }
    }
}
