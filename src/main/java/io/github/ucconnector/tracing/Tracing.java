package io.github.ucconnector.tracing;

import java.util.Locale;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;

/**
 * End-to-end tracing with Camel's OpenTelemetry tracer: a command's spans continue the trace of its record's
 * {@code traceparent} (or start one), and so does every record the command produces ({@link TraceHeaders}); each poll
 * cycle is a trace of its own.
 * <p>
 * Tracing is on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) is set: the
 * SDK is then configured from the standard {@code OTEL_*} variables and exports spans over OTLP. Otherwise it is on
 * only when an {@link OpenTelemetry} is bound in Camel's registry before the start (tests); without either the
 * connector creates no span, adds no header and connects to nothing.
 */
public final class Tracing {

    /** The instrumentation scope of the connector's spans. */
    public static final String INSTRUMENTATION = "io.github.ucconnector";

    /**
     * What is not worth a span of its own: the {@code direct:} routes that only structure the flow (their work is in
     * the spans around them), and every processor but the one that reads and validates a command. Processors are
     * matched by {@code <step id>-<kind>}, which has no ':', unlike an endpoint URI.
     */
    static final String EXCLUDED = "direct:*,^(?!" + TraceHeaders.VALIDATE_STEP + "-)[^:]+$";

    private static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", "ultracart-conversation-connector",
            // The JDK's HTTP client is the only OTLP sender in the jar: gRPC would need another.
            "otel.exporter.otlp.protocol", "http/protobuf",
            // Traces only: the connector's metrics are scraped from the management port.
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none");

    private Tracing() {
    }

    /** Installs the tracer, if tracing is on, once Camel's context exists and before any route is built. */
    public static void configure(Main main) {
        main.addMainListener(new MainListenerSupport() {
            private OpenTelemetrySdk owned;

            @Override
            public void beforeConfigure(BaseMainSupport configuring) {
                CamelContext context = configuring.getCamelContext();
                OpenTelemetry openTelemetry = context.getRegistry().findSingleByType(OpenTelemetry.class);
                if (openTelemetry == null && otlpEndpointConfigured()) {
                    owned = AutoConfiguredOpenTelemetrySdk.builder()
                            .addPropertiesSupplier(() -> DEFAULTS)
                            // Closed after Camel has stopped, so the last spans are exported.
                            .disableShutdownHook()
                            .build()
                            .getOpenTelemetrySdk();
                    openTelemetry = owned;
                }
                if (openTelemetry != null) {
                    install(context, openTelemetry);
                }
            }

            @Override
            public void afterStop(BaseMainSupport stopped) {
                if (owned != null) {
                    owned.close();
                }
            }
        });
    }

    private static void install(CamelContext context, OpenTelemetry openTelemetry) {
        // Camel's tracer finds its OpenTelemetry tracer and propagators in the registry. The records carry W3C
        // trace context whatever OTEL_PROPAGATORS says, the same as TraceHeaders writes.
        context.getRegistry().bind("openTelemetryTracer", Tracer.class, openTelemetry.getTracer(INSTRUMENTATION));
        context.getRegistry().bind("openTelemetryPropagators", ContextPropagators.class, TraceHeaders.PROPAGATORS);
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.setTraceProcessors(true);
        tracer.setExcludePatterns(EXCLUDED);
        tracer.init(context);
    }

    private static boolean otlpEndpointConfigured() {
        return isSet("OTEL_EXPORTER_OTLP_ENDPOINT") || isSet("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    }

    /** As the SDK reads its settings: a system property ({@code otel.exporter.otlp.endpoint}) or the variable. */
    private static boolean isSet(String variable) {
        String property = variable.toLowerCase(Locale.ROOT).replace('_', '.');
        String value = System.getProperty(property, System.getenv(variable));
        return value != null && !value.isBlank();
    }
}
