package io.github.ucconnector.tracing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.telemetry.SpanContextPropagationExtractor;
import org.apache.camel.telemetry.decorators.KafkaSpanDecorator;
import org.apache.camel.telemetry.propagation.CamelHeadersSpanContextPropagationExtractor;

/**
 * Kafka spans that continue the trace of the record consumed, named by its topic rather than by the list of topics
 * the consumer reads. The connector reads record headers as raw bytes (a dead letter reproduces them), and Camel's
 * extractor sees only text headers: the trace context ones are decoded for it.
 */
public class CommandRecordSpans extends KafkaSpanDecorator {

    @Override
    public String getDestination(Exchange exchange, Endpoint endpoint) {
        String consumedFrom = exchange.getIn().getHeader(KafkaConstants.TOPIC, String.class);
        return exchange.getIn().getHeader(KafkaConstants.OVERRIDE_TOPIC) == null && consumedFrom != null
                ? consumedFrom : super.getDestination(exchange, endpoint);
    }

    @Override
    public SpanContextPropagationExtractor getExtractor(Exchange exchange) {
        Map<String, Object> headers = new HashMap<>(exchange.getIn().getHeaders());
        for (String field : TraceHeaders.PROPAGATORS.getTextMapPropagator().fields()) {
            if (exchange.getIn().getHeader(field) instanceof byte[] bytes) {
                headers.put(field, new String(bytes, StandardCharsets.UTF_8));
            }
        }
        return new CamelHeadersSpanContextPropagationExtractor(headers);
    }
}
