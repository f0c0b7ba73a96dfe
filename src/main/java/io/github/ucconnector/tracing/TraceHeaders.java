package io.github.ucconnector.tracing;

import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;

/**
 * The trace context on the records the connector writes.
 * <p>
 * A command's outcome records (event, private reply, dead letter) are sent in batches, several commands' records
 * at once, so Camel's own injection on the Kafka producer would give them all the context of whichever command
 * sent the batch. Each record therefore gets the context of its own command's current span when it is built.
 */
public final class TraceHeaders {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    /** The id of the route step that reads and validates a command: the one step with a span of its own. */
    static final String VALIDATE_STEP = "read-command";

    static final ContextPropagators PROPAGATORS = ContextPropagators.create(W3CTraceContextPropagator.getInstance());

    private TraceHeaders() {
    }

    /**
     * Sets {@code traceparent} (and {@code tracestate}, if any) of the span current on this thread, replacing those
     * the headers had: a dead letter, otherwise the command record byte for byte, belongs to the connector's trace.
     * Without tracing there is no current span and the headers stay as they are.
     */
    public static void inject(Map<String, Object> headers) {
        if (!Span.current().getSpanContext().isValid()) {
            return;
        }
        headers.remove(TRACEPARENT);
        headers.remove(TRACESTATE);
        PROPAGATORS.getTextMapPropagator().inject(Context.current(), headers, Map::put);
    }
}
