package io.github.ucconnector.hostile;

import static io.github.ucconnector.support.TopicProbe.header;
import static io.github.ucconnector.support.TopicProbe.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.hostile.HostileInputTest.Problems;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.sandbox.SandboxOptions;
import io.github.ucconnector.support.RunningConnector;
import io.github.ucconnector.support.SandboxAdmin;
import io.github.ucconnector.support.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Every command type, successes and failures, polling on, once with an API key and once with an OAuth token: the
 * credentials, the agent's tokens and the presigned upload URL appear only on the private reply topic, never in a
 * log line, an event, a dead letter (value or headers), a summary or the command ledger.
 */
class SecretLeakTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY_CORE = UUID.randomUUID().toString().replace("-", "");
    private static final String OAUTH_TOKEN_CORE = UUID.randomUUID().toString().replace("-", "");
    private static final String API_KEY = "canary-api-key-" + API_KEY_CORE;
    private static final String OAUTH_TOKEN = "canary-oauth-token-" + OAUTH_TOKEN_CORE;
    private static final String FAILED = "ultracart.conversation.command.failed";

    /** What one run left on Kafka. */
    private record Output(Map<String, String> secrets, List<ConsumerRecord<byte[], byte[]>> replies,
            Map<String, List<ConsumerRecord<byte[], byte[]>>> published) {
    }

    @Test
    void credentialsTokensAndUploadUrlsAppearOnlyOnThePrivateReplyTopic() throws Exception {
        List<Output> runs = new ArrayList<>();
        List<String> logEvents;
        String printed;
        try (LogCapture logs = LogCapture.start()) {
            runs.add(run("key", Map.of(Setting.ULTRACART_API_KEY.property(), API_KEY), "x-ultracart-simple-key"));
            runs.add(run("oauth", Map.of(Setting.ULTRACART_API_KEY.property(), "",
                    Setting.ULTRACART_OAUTH_TOKEN.property(), OAUTH_TOKEN), "authorization"));
            logEvents = logs.events();
            printed = logs.printed();
        }

        Map<String, String> needles = new LinkedHashMap<>();
        needles.put("the API key", API_KEY);
        needles.put("the API key's random part", API_KEY_CORE);
        needles.put("the OAuth token", OAUTH_TOKEN);
        needles.put("the OAuth token's random part", OAUTH_TOKEN_CORE);
        runs.forEach(output -> needles.putAll(output.secrets()));

        // Not vacuous: the replies hold the secrets, the logs hold the connector's lines, the topics hold outcomes.
        for (Output output : runs) {
            output.secrets().forEach((name, secret) -> assertThat(output.replies())
                    .as("a reply holding %s", name).anyMatch(reply -> contains(everything(reply), secret)));
            assertThat(output.published().get("events")).extracting(e -> header(e, "ce_type")).contains(
                    "ultracart.conversation.started", "ultracart.conversation.joined", "ultracart.conversation.left",
                    "ultracart.conversation.fetched", "ultracart.conversation.upload-url.created",
                    "ultracart.conversation.agent.authorized", FAILED, "ultracart.conversation.created",
                    "ultracart.conversation.message.received");
            assertThat(output.published().get("dead letters")).extracting(d -> header(d, DeadLetters.CATEGORY))
                    .contains("bad_request", "invalid_command", "server_error");
            assertThat(output.published().get("summaries")).isNotEmpty();
            assertThat(output.published().get("command ledger")).isNotEmpty();
        }
        assertThat(String.join("", logEvents)).contains("ultracart.api-key", "ultracart.oauth-token", "failed after");

        Problems problems = new Problems();
        for (Map.Entry<String, String> needle : needles.entrySet()) {
            for (String event : logEvents) {
                if (contains(event, needle.getValue())) {
                    problems.add(needle.getKey() + " in a log line: " + event.strip());
                }
            }
            if (contains(printed, needle.getValue())) {
                problems.add(needle.getKey() + " printed to System.out or System.err");
            }
            for (Output output : runs) {
                output.published().forEach((topic, records) -> records.stream()
                        .filter(record -> contains(everything(record), needle.getValue()))
                        .forEach(record -> problems.add(needle.getKey() + " on the " + topic + " topic: "
                                + everything(record))));
            }
        }
        for (String event : logEvents) {
            if (event.toLowerCase(Locale.ROOT).contains("bearer ")) {
                problems.add("'Bearer ' in a log line: " + event.strip());
            }
        }
        for (Output output : runs) {
            output.published().forEach((topic, records) -> records.stream()
                    .filter(record -> everything(record).toLowerCase(Locale.ROOT).contains("bearer "))
                    .forEach(record -> problems.add("'Bearer ' on the " + topic + " topic: " + everything(record))));
        }
        System.out.printf("SecretLeakTest: searched %d log events, %s for %d secrets%n", logEvents.size(),
                runs.stream().map(o -> o.published().entrySet().stream().map(e -> e.getValue().size() + " " + e.getKey())
                        .toList().toString()).toList(), needles.size());
        problems.assertNone();
    }

    /** One connector run through every command type, with successes and failures, and the poller on. */
    private static Output run(String run, Map<String, String> credentials, String credentialHeader) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(credentials);
        settings.put(Setting.POLL_ENABLED.property(), "true");
        settings.put(Setting.ULTRACART_RETRY_DELAY_MS.property(), "10");
        try (RunningConnector connector = RunningConnector.start(new SandboxOptions(0, API_KEY, OAUTH_TOKEN), settings,
                sandbox -> { })) {
            SandboxAdmin admin = new SandboxAdmin(connector.sandbox());
            String opened = admin.openConversation("Ada", "Hello, where is my order?");

            String uuid = text(expect(connector, run + "-start", Setting.TOPIC_COMMAND_START,
                    "{\"add_conversation_participant_arns\":[\"arn:customer:ada\"]}", "ultracart.conversation.started").key());
            expect(connector, run + "-join", Setting.TOPIC_COMMAND_JOIN, "{\"conversation_uuid\":\"" + uuid
                    + "\",\"participant_language_iso_code\":\"en\"}", "ultracart.conversation.joined");
            expect(connector, run + "-get", Setting.TOPIC_COMMAND_GET, "{\"conversation_uuid\":\"" + uuid + "\",\"limit\":10}",
                    "ultracart.conversation.fetched");
            expect(connector, run + "-upload", Setting.TOPIC_COMMAND_UPLOAD_URL, "{\"extension\":\"png\"}",
                    "ultracart.conversation.upload-url.created");
            expect(connector, run + "-auth", Setting.TOPIC_COMMAND_AGENT_AUTH, "{}", "ultracart.conversation.agent.authorized");
            expect(connector, run + "-leave", Setting.TOPIC_COMMAND_LEAVE, "{\"conversation_uuid\":\"" + uuid + "\"}",
                    "ultracart.conversation.left");

            // The poller sees the customer's conversation with its first message, then a new message in it.
            connector.only("created event", Setting.TOPIC_EVENTS, e -> opened.equals(header(e, "ce_subject"))
                    && "ultracart.conversation.created".equals(header(e, "ce_type")));
            admin.addCustomerMessage(opened, "My order number is 4711");
            connector.only("message.received event", Setting.TOPIC_EVENTS, e -> opened.equals(header(e, "ce_subject"))
                    && "ultracart.conversation.message.received".equals(header(e, "ce_type")), 2);

            // Failures: UltraCart refuses, the command is invalid, and faults outlast the retries.
            expectFailure(connector, run + "-join-unknown", Setting.TOPIC_COMMAND_JOIN,
                    "{\"conversation_uuid\":\"no-such-conversation\"}", "bad_request");
            connector.send(Setting.TOPIC_COMMAND_LEAVE, null, "{\"conversation_uuid\":\"../../admin\"}",
                    Map.of("ce_id", run + "-invalid"));
            assertThat(category(connector.outcomeOf(run + "-invalid"))).isEqualTo("invalid_command");
            admin.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"500\",\"502\",\"503\"],\"retry_after_seconds\":0}");
            expectFailure(connector, run + "-auth-faulted", Setting.TOPIC_COMMAND_AGENT_AUTH, "{}", "server_error");
            expectFailure(connector, run + "-upload-faulted", Setting.TOPIC_COMMAND_UPLOAD_URL, "{\"extension\":\"jpg\"}",
                    "server_error");
            admin.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"400\"]}");
            expectFailure(connector, run + "-start-refused", Setting.TOPIC_COMMAND_START, "{}", "bad_request");
            expectFailure(connector, run + "-get-refused", Setting.TOPIC_COMMAND_GET, "{\"conversation_uuid\":\"" + uuid
                    + "\"}", "bad_request");
            admin.faults("{}");
            expect(connector, run + "-auth-again", Setting.TOPIC_COMMAND_AGENT_AUTH, "{}",
                    "ultracart.conversation.agent.authorized");

            // The secrets, as the requesting application reads them from the private reply topic.
            Map<String, String> secrets = new LinkedHashMap<>();
            JsonNode upload = JSON.readTree(replyOf(connector, run + "-upload").value());
            String url = upload.path("url").asText();
            secrets.put("the presigned upload URL (" + run + ")", url);
            secrets.put("the upload URL's signature (" + run + ")",
                    url.substring(url.indexOf("X-Amz-Signature=") + 16, url.indexOf('&', url.indexOf("X-Amz-Signature="))));
            for (String authId : List.of(run + "-auth", run + "-auth-again")) {
                JsonNode auth = JSON.readTree(replyOf(connector, authId).value());
                for (String field : List.of("jwt", "pbx_jwt", "pbx_voice_token", "pbx_worker_token", "pbx_worker_token_v2")) {
                    assertThat(auth.path(field).asText()).as(field).isNotBlank();
                    secrets.put("the agent's " + field + " (" + authId + ")", auth.path(field).asText());
                }
            }

            // The credentials were sent on every call (the sandbox shows them masked).
            List<RecordedRequest> calls = connector.sandbox().requests();
            assertThat(calls).isNotEmpty().allSatisfy(call -> assertThat(call.headers())
                    .containsEntry(credentialHeader, "****"));
            assertThat(calls).extracting(RecordedRequest::status).doesNotContain(401);

            TopicProbe kafka = connector.kafka();
            Map<String, List<ConsumerRecord<byte[], byte[]>>> published = new LinkedHashMap<>();
            published.put("events", kafka.readAll(connector.topic(Setting.TOPIC_EVENTS)));
            published.put("dead letters", kafka.readAll(connector.topic(Setting.TOPIC_DLQ)));
            published.put("summaries", kafka.readAll(connector.topic(Setting.TOPIC_SUMMARIES)));
            published.put("command ledger", kafka.readAll(connector.topic(Setting.TOPIC_LEDGER)));
            return new Output(secrets, kafka.readAll(connector.topic(Setting.TOPIC_REPLIES)), published);
        }
    }

    private static ConsumerRecord<byte[], byte[]> expect(RunningConnector connector, String commandId, Setting topic,
            String fields, String eventType) {
        connector.send(topic, null, withCommandId(commandId, fields), Map.of());
        ConsumerRecord<byte[], byte[]> outcome = connector.outcomeOf(commandId);
        assertThat(header(outcome, "ce_type")).as("outcome of %s: %s", commandId, text(outcome.value())).isEqualTo(eventType);
        return outcome;
    }

    private static void expectFailure(RunningConnector connector, String commandId, Setting topic, String fields,
            String category) throws Exception {
        ConsumerRecord<byte[], byte[]> outcome = expect(connector, commandId, topic, fields, FAILED);
        assertThat(category(outcome)).as("category of %s", commandId).isEqualTo(category);
        connector.deadLetterOf(commandId);
    }

    private static String category(ConsumerRecord<byte[], byte[]> failed) throws Exception {
        return JSON.readTree(failed.value()).path("category").asText();
    }

    private static String withCommandId(String commandId, String fields) {
        return "{\"command_id\":\"" + commandId + "\"" + (fields.equals("{}") ? "}" : "," + fields.substring(1));
    }

    private static ConsumerRecord<byte[], byte[]> replyOf(RunningConnector connector, String commandId) {
        return connector.only("reply", Setting.TOPIC_REPLIES, r -> commandId.equals(header(r, "ce_correlationid")));
    }

    /** Key, value, and every header name and value of a record, as text. */
    private static String everything(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder all = new StringBuilder("key=").append(text(record.key())).append(" value=").append(text(record.value()));
        for (Header header : record.headers()) {
            all.append(' ').append(header.key()).append('=')
                    .append(header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8));
        }
        return all.toString();
    }

    private static boolean contains(String haystack, String needle) {
        return haystack != null && haystack.contains(needle);
    }
}
