package io.github.ucconnector.tracing;

import io.github.ucconnector.api.ApiRequest;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.TagConstants;
import org.apache.camel.telemetry.decorators.HttpSpanDecorator;
import org.apache.camel.util.StringHelper;
import org.apache.camel.util.URISupport;

/**
 * HTTP spans of Conversation API calls name their operation ({@value #OPERATION}), as the API's specification
 * does, and the URL they call without its query or the endpoint's options; Camel's decorator adds the method and
 * the answer's status. The credentials go in headers the HTTP client adds, which no span sees.
 */
public final class ApiCallSpans {

    /** The span attribute with the API operation's id, e.g. {@code startConversation}. */
    public static final String OPERATION = "ultracart.operation";

    private ApiCallSpans() {
    }

    static void nameOperation(Span span, Exchange exchange) {
        ApiRequest.operationOf(exchange).ifPresent(operation -> span.setTag(OPERATION, operation.operationId()));
    }

    /** A refused call ends in an exception rather than an answer: its status is there. */
    static void statusOfRefusal(Span span, Exchange exchange) {
        if (exchange.getException() instanceof HttpOperationFailedException refused) {
            span.setTag(TagConstants.HTTP_STATUS, Integer.toString(refused.getStatusCode()));
        }
    }

    static String url(Exchange exchange, Endpoint endpoint) {
        String base = URISupport.sanitizeUri(StringHelper.before(endpoint.getEndpointUri(), "?",
                endpoint.getEndpointUri()));
        String path = exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        return path == null ? base : base + path;
    }

    /** The sandbox and tests call the API over plain HTTP. */
    public static class Http extends HttpSpanDecorator {
        @Override
        public void beforeTracingEvent(Span span, Exchange exchange, Endpoint endpoint) {
            super.beforeTracingEvent(span, exchange, endpoint);
            nameOperation(span, exchange);
        }

        @Override
        public void afterTracingEvent(Span span, Exchange exchange) {
            super.afterTracingEvent(span, exchange);
            statusOfRefusal(span, exchange);
        }

        @Override
        protected String getHttpURL(Exchange exchange, Endpoint endpoint) {
            return url(exchange, endpoint);
        }
    }

    /** UltraCart itself: the same, for Camel's https component. */
    public static class Https extends Http {
        @Override
        public String getComponent() {
            return "https";
        }
    }
}
