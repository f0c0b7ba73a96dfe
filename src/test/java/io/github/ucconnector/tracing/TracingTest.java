package io.github.ucconnector.tracing;

import static io.github.ucconnector.support.TopicProbe.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a tracing backend receives from the connector, and the trace context on the records it writes. */
class TracingTest {

    private static final String ADMIN_TOKEN = "tracing-admin-token-9f3b";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static OpenTelemetrySdk openTelemetry;
    private static RunningConnector connector;

    @BeforeAll
    static void startConnector() throws Exception {
        openTelemetry = OpenTelemetrySdk.builder()
                // Spans are exported as they end, so a test sees them without a flush.
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        connector = RunningConnector.startWithBeans(Map.of(Setting.MANAGEMENT_ADMIN_TOKEN.property(), ADMIN_TOKEN),
                Map.of("openTelemetry", openTelemetry));
    }

    @AfterAll
    static void stopConnector() {
        connector.close();
        openTelemetry.close();
    }

    @Test
    void aCommandContinuesTheTraceOfItsRecordIntoItsSpansAndItsOutcomeEvent() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String parentSpanId = "00f067aa0ba902b7";
        String commandId = "start-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_START, "customer-1", startCommand(commandId),
                Map.of("traceparent", "00-" + traceId + "-" + parentSpanId + "-01", "tracestate", "vendor=abc"));

        ConsumerRecord<byte[], byte[]> event = connector.outcomeOf(commandId);

        assertThat(traceIdOf(header(event, "traceparent"))).isEqualTo(traceId);
        assertThat(header(event, "tracestate")).isEqualTo("vendor=abc");
        List<SpanData> trace = awaitTrace(traceId,
                spans -> spans.stream().anyMatch(isConsumed(Setting.TOPIC_COMMAND_START)));
        SpanData consumed = only(trace, isConsumed(Setting.TOPIC_COMMAND_START));
        assertThat(consumed.getParentSpanId()).isEqualTo(parentSpanId);
        SpanData validated = only(trace, span -> span.getName().startsWith(TraceHeaders.VALIDATE_STEP));
        SpanData apiCall = only(trace, isApiCall("startConversation"));
        SpanData produced = only(trace, TracingTest::isKafkaSend);
        assertThat(List.of(validated, apiCall, produced)).allSatisfy(
                span -> assertThat(span.getParentSpanId()).isEqualTo(consumed.getSpanId()));
        assertThat(apiCall.getAttributes().get(AttributeKey.stringKey("http.status_code"))).isEqualTo("200");
        assertThat(apiCall.getAttributes().get(AttributeKey.stringKey("http.method"))).isEqualTo("PUT");
        assertThat(apiCall.getAttributes().get(AttributeKey.stringKey("http.url")))
                .isEqualTo(connector.sandbox().baseUrl() + "/conversation/conversations");
        // The event's parent is the command's span: its consumer can follow the trace back to the command.
        assertThat(header(event, "traceparent")).contains(consumed.getSpanId());
    }

    @Test
    void aCommandWithoutTraceContextStartsATraceThatItsOutcomeCarries() {
        String commandId = "start-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_START, "customer-2", startCommand(commandId), Map.of());

        ConsumerRecord<byte[], byte[]> event = connector.outcomeOf(commandId);

        String traceId = traceIdOf(header(event, "traceparent"));
        List<SpanData> trace = awaitTrace(traceId,
                spans -> spans.stream().anyMatch(isConsumed(Setting.TOPIC_COMMAND_START)));
        SpanData consumed = only(trace, isConsumed(Setting.TOPIC_COMMAND_START));
        only(trace, isApiCall("startConversation"));
        assertThat(consumed.getParentSpanId()).isEqualTo(SpanId.getInvalid());
    }

    @Test
    void aRejectedCommandsFailedEventAndDeadLetterBelongToItsTrace() {
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        String commandId = "leave-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_LEAVE, null,
                "{\"command_id\":\"" + commandId + "\",\"conversation_uuid\":\"../../admin\"}",
                Map.of("traceparent", "00-" + traceId + "-b7ad6b7169203331-01"));

        ConsumerRecord<byte[], byte[]> failed = connector.outcomeOf(commandId);
        ConsumerRecord<byte[], byte[]> deadLetter = connector.deadLetterOf(commandId);

        assertThat(header(failed, "ce_type")).isEqualTo("ultracart.conversation.command.failed");
        assertThat(traceIdOf(header(failed, "traceparent"))).isEqualTo(traceId);
        // The dead letter keeps the command's trace, under the connector's span instead of the sender's.
        assertThat(traceIdOf(header(deadLetter, "traceparent"))).isEqualTo(traceId);
        assertThat(header(deadLetter, "traceparent")).doesNotContain("b7ad6b7169203331");
        // The batch with both records is sent under the command's span.
        List<SpanData> trace = awaitTrace(traceId,
                spans -> spans.stream().anyMatch(isConsumed(Setting.TOPIC_COMMAND_LEAVE)));
        only(trace, TracingTest::isKafkaSend);
        assertThat(trace).noneMatch(span -> span.getAttributes().asMap().containsKey(
                AttributeKey.stringKey(ApiCallSpans.OPERATION)));
    }

    @Test
    void aRefusedApiCallsSpanHasItsStatusAndItsFailedEventTheTrace() {
        String traceId = "5c1d6e7f8a9b0c1d2e3f405162738495";
        String commandId = "join-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_JOIN, null, "{\"command_id\":\"" + commandId
                + "\",\"conversation_uuid\":\"" + UUID.randomUUID() + "\"}",
                Map.of("traceparent", "00-" + traceId + "-1a2b3c4d5e6f7081-01"));

        ConsumerRecord<byte[], byte[]> failed = connector.outcomeOf(commandId);

        assertThat(header(failed, "ce_type")).isEqualTo("ultracart.conversation.command.failed");
        assertThat(traceIdOf(header(failed, "traceparent"))).isEqualTo(traceId);
        assertThat(traceIdOf(header(connector.deadLetterOf(commandId), "traceparent"))).isEqualTo(traceId);
        SpanData apiCall = only(awaitTrace(traceId, spans -> spans.stream().anyMatch(isApiCall("joinConversation"))),
                isApiCall("joinConversation"));
        assertThat(apiCall.getAttributes().get(AttributeKey.stringKey("http.status_code"))).isEqualTo("400");
        assertThat(apiCall.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    @Test
    void eachPollCycleIsATraceWithItsApiCallsAndTheChangesItPublishes() throws Exception {
        try (RunningConnector poller = RunningConnector.startWithBeans(
                Map.of(Setting.POLL_ENABLED.property(), "true"), Map.of("openTelemetry", openTelemetry))) {
            String conversationUuid = new SandboxAdmin(poller.sandbox()).openConversation("Ann", "Where is my order?");

            ConsumerRecord<byte[], byte[]> change = poller.only("message event", Setting.TOPIC_EVENTS,
                    record -> conversationUuid.equals(header(record, "ce_subject"))
                            && "ultracart.conversation.message.received".equals(header(record, "ce_type")));

            String traceId = traceIdOf(header(change, "traceparent"));
            // The cycle's span ends after its last step, so after the spans of its calls and sends.
            List<SpanData> trace = awaitTrace(traceId, spans -> spans.stream().anyMatch(TracingTest::isRoot));
            SpanData cycle = only(trace, TracingTest::isRoot);
            assertThat(cycle.getAttributes().get(AttributeKey.stringKey("camel.uri")))
                    .startsWith("timer://conversation-poller");
            SpanData list = only(trace, isApiCall("getConversations"));
            assertThat(list.getParentSpanId()).isEqualTo(cycle.getSpanId());
        }
    }

    @Test
    void noSpanAttributeHoldsASecret() throws Exception {
        assertThat(connector.management("GET", "/admin/state", Map.of("Authorization", "Bearer " + ADMIN_TOKEN))
                .statusCode()).isEqualTo(200);
        String commandId = "auth-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_AGENT_AUTH, null, "{\"command_id\":\"" + commandId + "\"}", Map.of());
        connector.outcomeOf(commandId);
        ConsumerRecord<byte[], byte[]> reply = connector.only("private reply", Setting.TOPIC_REPLIES,
                record -> commandId.equals(header(record, "ce_correlationid")));
        assertThat(header(reply, "traceparent")).isNotNull();

        await().atMost(WAIT).until(() -> SPANS.getFinishedSpanItems().stream()
                .anyMatch(isApiCall("getAgentWebsocketAuthorization")));
        // The admin request's span, whose request had the token in its Authorization header.
        await().atMost(WAIT).until(() -> SPANS.getFinishedSpanItems().stream().anyMatch(span -> span.getAttributes()
                .asMap().values().stream().anyMatch(value -> value.toString().contains("/admin/state"))));
        assertThat(SPANS.getFinishedSpanItems()).allSatisfy(span -> {
            assertThat(span.getAttributes().asMap().values()).allSatisfy(value -> assertThat(value.toString())
                    .doesNotContain(SandboxOptions.DEFAULT_API_KEY, ADMIN_TOKEN, "Bearer"));
            assertThat(span.getEvents()).allSatisfy(spanEvent -> assertThat(spanEvent.getAttributes().toString())
                    .doesNotContain(SandboxOptions.DEFAULT_API_KEY, ADMIN_TOKEN));
        });
    }

    @Test
    void withoutTracingNoRecordGainsATraceAndADeadLetterKeepsTheCommandsOwn() throws Exception {
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        try (RunningConnector untraced = RunningConnector.start(Map.of())) {
            String startId = "start-" + UUID.randomUUID();
            untraced.send(Setting.TOPIC_COMMAND_START, "customer-3", startCommand(startId), Map.of());
            String leaveId = "leave-" + UUID.randomUUID();
            untraced.send(Setting.TOPIC_COMMAND_LEAVE, null,
                    "{\"command_id\":\"" + leaveId + "\",\"conversation_uuid\":\"../../admin\"}",
                    Map.of("traceparent", traceparent));

            assertThat(header(untraced.outcomeOf(startId), "traceparent")).isNull();
            assertThat(header(untraced.outcomeOf(leaveId), "traceparent")).isNull();
            assertThat(header(untraced.deadLetterOf(leaveId), "traceparent")).isEqualTo(traceparent);
        }
    }

    private static String startCommand(String commandId) {
        return "{\"command_id\":\"" + commandId + "\",\"add_conversation_participant_arns\":[\"arn:customer:1\"]}";
    }

    private static String traceIdOf(String traceparent) {
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
        return traceparent.substring(3, 35);
    }

    /** The consume span: the connector's first of a command, and its last to end. */
    private static Predicate<SpanData> isConsumed(Setting topic) {
        return span -> span.getName().equals(connector.topic(topic));
    }

    private static boolean isRoot(SpanData span) {
        return span.getParentSpanId().equals(SpanId.getInvalid());
    }

    private static boolean isKafkaSend(SpanData span) {
        return "camel-kafka".equals(span.getAttributes().get(AttributeKey.stringKey("component")))
                && "EVENT_SENT".equals(span.getAttributes().get(AttributeKey.stringKey("op")));
    }

    private static Predicate<SpanData> isApiCall(String operation) {
        return span -> operation.equals(span.getAttributes().get(
                AttributeKey.stringKey(ApiCallSpans.OPERATION)));
    }

    /** The trace's spans once {@code complete} holds for them: spans end, and are exported, as the command goes. */
    private static List<SpanData> awaitTrace(String traceId, Predicate<List<SpanData>> complete) {
        return await().atMost(WAIT).until(() -> SPANS.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId)).toList(), complete);
    }

    private static SpanData only(List<SpanData> spans, Predicate<SpanData> matching) {
        List<SpanData> matches = spans.stream().filter(matching).toList();
        assertThat(matches).as("spans matching among %s", spans).hasSize(1);
        return matches.get(0);
    }
}
