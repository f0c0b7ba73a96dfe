package io.github.ucconnector;

import static io.github.ucconnector.support.TopicProbe.header;
import static io.github.ucconnector.support.TopicProbe.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.event.OutcomeEvents;
import io.github.ucconnector.kafka.DeadLetters;
import io.github.ucconnector.sandbox.RecordedRequest;
import io.github.ucconnector.support.Commands;
import io.github.ucconnector.support.RunningConnector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * get, upload-url and agent-auth commands against the real broker and sandbox: the fetched conversation as an event,
 * and the secret-bearing results only on the private reply topic, never on the events or dead-letter topics.
 */
class RequestReplyCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CE_HEADERS = List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time",
            "ce_correlationid", "content-type");

    private static RunningConnector connector;

    @BeforeAll
    static void startConnector() throws Exception {
        connector = RunningConnector.start(Map.of());
    }

    @AfterAll
    static void stopConnector() {
        connector.close();
    }

    @Test
    void getCommandFetchesTheConversationWithItsMessages() throws Exception {
        String conversationUuid = customerOpensConversation("Hello, where is my order?");
        sandboxAdmin("POST", "/sandbox/conversations/" + conversationUuid + "/messages",
                "{\"body\":\"Are you there?\",\"author\":\"customer\"}");

        String commandId = "get-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_GET, conversationUuid,
                Commands.get(commandId, conversationUuid).toJson(), Map.of());
        ConsumerRecord<byte[], byte[]> fetched = connector.outcomeOf(commandId);

        RecordedRequest call = lastCall("GET", "/rest/v2/conversation/conversations/" + conversationUuid);
        assertThat(call.query()).isEmpty();
        assertThat(call.body()).isEmpty();
        assertThat(call.headers()).containsEntry("x-ultracart-api-version", "2017-03-01");
        assertThat(text(fetched.key())).isEqualTo(conversationUuid);
        assertThat(header(fetched, "ce_type")).isEqualTo("ultracart.conversation.fetched");
        assertThat(header(fetched, "ce_subject")).isEqualTo(conversationUuid);
        assertThat(header(fetched, "ce_id")).isEqualTo(OutcomeEvents.eventId(commandId));
        JsonNode data = JSON.readTree(fetched.value());
        assertThat(data.path("conversation_uuid").asText()).isEqualTo(conversationUuid);
        assertThat(data.path("messages").findValuesAsText("body"))
                .containsExactly("Hello, where is my order?", "Are you there?");
        assertThat(data.path("message_count").asInt()).isEqualTo(2);
    }

    @Test
    void getCommandWithALimitSendsItAsQuery() throws Exception {
        String conversationUuid = customerOpensConversation("first");
        sandboxAdmin("POST", "/sandbox/conversations/" + conversationUuid + "/messages", "{\"body\":\"second\"}");

        String commandId = "get-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_GET, conversationUuid,
                Commands.get(commandId, conversationUuid).withLimit(1).toJson(), Map.of());
        ConsumerRecord<byte[], byte[]> fetched = connector.outcomeOf(commandId);

        assertThat(lastCall("GET", "/rest/v2/conversation/conversations/" + conversationUuid).query()).isEqualTo("limit=1");
        JsonNode data = JSON.readTree(fetched.value());
        assertThat(data.path("messages").findValuesAsText("body")).containsExactly("second");
    }

    @Test
    void getCommandWithALimitOfTheWrongTypeIsRejectedWithoutACall() throws Exception {
        int callsBefore = connector.sandbox().requests().size();
        // A rejected command is identified by its ce_id header (its value is not trusted for anything).
        String commandId = "get-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_GET, null, "{\"conversation_uuid\":\"abc\",\"limit\":\"5\"}",
                Map.of("ce_id", commandId));

        JsonNode data = JSON.readTree(connector.outcomeOf(commandId).value());
        assertThat(data.path("category").asText()).isEqualTo("invalid_command");
        assertThat(data.path("command_type").asText()).isEqualTo("get");
        assertThat(header(connector.deadLetterOf(commandId), DeadLetters.COMMAND_TYPE)).isEqualTo("get");
        assertThat(connector.sandbox().requests()).hasSize(callsBefore);
    }

    @Test
    void uploadUrlGoesOnlyToTheReplyTopicAndTheEventHoldsTheKey() throws Exception {
        String commandId = "upload-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_UPLOAD_URL, "any-key",
                Commands.uploadUrl(commandId, "jpg").toJson(), Map.of("trace-id", "t-9"));

        ConsumerRecord<byte[], byte[]> reply = replyOf(commandId);
        ConsumerRecord<byte[], byte[]> created = connector.outcomeOf(commandId);

        RecordedRequest call = lastCall("GET", "/rest/v2/conversation/upload_url/jpg");
        assertThat(call.query()).isEmpty();
        assertThat(call.headers()).doesNotContainKey("trace-id");

        assertThat(text(reply.key())).isEqualTo(commandId);
        assertThat(header(reply, "ce_type")).isEqualTo("ultracart.conversation.upload-url.reply");
        assertThat(header(reply, "ce_id")).isEqualTo(OutcomeEvents.replyId(commandId))
                .isNotEqualTo(header(created, "ce_id"));
        assertThat(header(reply, "ce_correlationid")).isEqualTo(commandId);
        assertThat(header(reply, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(reply, "ce_source")).isEqualTo("/ultracart-conversation-connector");
        assertThat(header(reply, "content-type")).isEqualTo("application/json");
        assertThat(reply.headers().toArray()).extracting(Header::key).containsExactlyInAnyOrderElementsOf(CE_HEADERS);
        JsonNode replyData = JSON.readTree(reply.value());
        String key = replyData.path("key").asText();
        String url = replyData.path("url").asText();
        assertThat(key).startsWith("sandbox/uploads/").endsWith(".jpg");
        assertThat(url).startsWith("http://localhost:" + connector.sandbox().port() + "/" + key + "?X-Amz-Signature=");

        assertThat(header(created, "ce_type")).isEqualTo("ultracart.conversation.upload-url.created");
        assertThat(header(created, "ce_id")).isEqualTo(OutcomeEvents.eventId(commandId));
        assertThat(created.key()).isNull();
        assertThat(created.headers().toArray()).extracting(Header::key).containsExactlyInAnyOrderElementsOf(CE_HEADERS);
        assertThat(JSON.readTree(created.value())).isEqualTo(JSON.createObjectNode().put("key", key));
        assertAppearNowhereButInReplies(List.of(url,
                url.substring(url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length(), url.indexOf('&'))));
    }

    @Test
    void extensionsThatCouldChangeThePathAreRejectedWithoutACall() throws Exception {
        int callsBefore = connector.sandbox().requests().size();
        String[] extensions = {"../x", "a/b", "p%2Fq", "toolongextension", "", "jp.g", "x y", "é"};
        Map<String, String> valuesById = new LinkedHashMap<>();
        for (String extension : extensions) {
            String commandId = "upload-bad-" + UUID.randomUUID();
            String value = "{\"extension\":" + JSON.writeValueAsString(extension) + "}";
            connector.send(Setting.TOPIC_COMMAND_UPLOAD_URL, null, value, Map.of("ce_id", commandId));
            valuesById.put(commandId, value);
        }
        Set<String> rejected = valuesById.keySet();

        List<ConsumerRecord<byte[], byte[]>> failed = connector.only("failed events", Setting.TOPIC_EVENTS,
                r -> rejected.contains(header(r, "ce_correlationid")), extensions.length);
        for (ConsumerRecord<byte[], byte[]> event : failed) {
            JsonNode data = JSON.readTree(event.value());
            assertThat(data.path("category").asText()).as(data.toString()).isEqualTo("invalid_command");
            assertThat(data.path("command_type").asText()).isEqualTo("upload-url");
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = connector.only("dead letters", Setting.TOPIC_DLQ,
                r -> rejected.contains(header(r, DeadLetters.COMMAND_ID)), extensions.length);
        for (ConsumerRecord<byte[], byte[]> deadLetter : deadLetters) {
            assertThat(text(deadLetter.value())).isEqualTo(valuesById.get(header(deadLetter, DeadLetters.COMMAND_ID)));
            assertThat(header(deadLetter, DeadLetters.STAGE)).isEqualTo("VALUE_CONVERTER");
            assertThat(header(deadLetter, DeadLetters.COMMAND_TYPE)).isEqualTo("upload-url");
        }
        assertThat(connector.sandbox().requests()).hasSize(callsBefore);
        connector.only("reply", Setting.TOPIC_REPLIES, r -> rejected.contains(header(r, "ce_correlationid")), 0);
    }

    @Test
    void agentAuthGoesOnlyToTheReplyTopicAndTheEventHoldsTheIdentity() throws Exception {
        String commandId = "auth-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_AGENT_AUTH, null, Commands.agentAuth(commandId).toJson(), Map.of());

        ConsumerRecord<byte[], byte[]> reply = replyOf(commandId);
        ConsumerRecord<byte[], byte[]> authorized = connector.outcomeOf(commandId);

        RecordedRequest call = lastCall("PUT", "/rest/v2/conversation/agent/auth");
        assertThat(call.body()).isEmpty();

        assertThat(text(reply.key())).isEqualTo(commandId);
        assertThat(header(reply, "ce_type")).isEqualTo("ultracart.conversation.agent-auth.reply");
        assertThat(header(reply, "ce_id")).isEqualTo(OutcomeEvents.replyId(commandId));
        assertThat(header(reply, "ce_correlationid")).isEqualTo(commandId);
        assertThat(reply.headers().toArray()).extracting(Header::key).containsExactlyInAnyOrderElementsOf(CE_HEADERS);
        JsonNode auth = JSON.readTree(reply.value());
        String jwt = auth.path("jwt").asText();
        assertThat(jwt).startsWith("sandbox-jwt-");
        assertThat(auth.path("websocket_url").asText()).startsWith("ws://localhost:");
        assertThat(auth.path("conversation_participant_arn").asText()).isEqualTo("arn:ultracart:sandbox:participant:agent-1");

        assertThat(header(authorized, "ce_type")).isEqualTo("ultracart.conversation.agent.authorized");
        assertThat(header(authorized, "ce_id")).isEqualTo(OutcomeEvents.eventId(commandId));
        assertThat(authorized.key()).isNull();
        JsonNode identity = JSON.readTree(authorized.value());
        assertThat(identity).isEqualTo(JSON.readTree("""
                {"conversation_participant_arn":"arn:ultracart:sandbox:participant:agent-1",
                 "conversation_participant_name":"Sandbox Agent","merchant_id":"DEMO","user_id":1001,
                 "chat_admin":true,"chat_user":true,"pbx_admin":false,"pbx_supervisor":false,"pbx_user":true}"""));

        List<String> secrets = new ArrayList<>(List.of(jwt));
        for (String field : new String[] {"pbx_jwt", "pbx_voice_token", "pbx_worker_token", "pbx_worker_token_v2"}) {
            assertThat(auth.path(field).asText()).as(field).startsWith("sandbox-");
            secrets.add(auth.path(field).asText());
        }
        assertAppearNowhereButInReplies(secrets);
    }

    @Test
    void agentAuthCommandWithAnyFieldButCommandIdIsRejected() throws Exception {
        String commandId = "auth-" + UUID.randomUUID();
        connector.send(Setting.TOPIC_COMMAND_AGENT_AUTH, null, "{\"conversation_uuid\":\"abc\"}",
                Map.of("ce_id", commandId));

        JsonNode data = JSON.readTree(connector.outcomeOf(commandId).value());
        assertThat(data.path("category").asText()).isEqualTo("invalid_command");
        assertThat(data.path("reason").asText()).startsWith("unknown field 'conversation_uuid'")
                .endsWith("allowed fields: command_id");
        connector.deadLetterOf(commandId);
    }

    @Test
    void refusedUploadUrlAndAgentAuthGiveAFailedEventAndADeadLetterAndNoReply() throws Exception {
        try (RunningConnector refused = RunningConnector.start(Map.of(),
                sandbox -> sandbox.faults("{\"fault_share\":1.0,\"fault_kinds\":[\"400\"]}"))) {
            String uploadId = "upload-" + UUID.randomUUID();
            String uploadValue = Commands.uploadUrl(uploadId, "png").toJson();
            refused.send(Setting.TOPIC_COMMAND_UPLOAD_URL, "k-1", uploadValue, Map.of());
            String authId = "auth-" + UUID.randomUUID();
            String authValue = Commands.agentAuth(authId).toJson();
            refused.send(Setting.TOPIC_COMMAND_AGENT_AUTH, null, authValue, Map.of());

            for (String commandId : new String[] {uploadId, authId}) {
                ConsumerRecord<byte[], byte[]> failed = refused.outcomeOf(commandId);
                assertThat(header(failed, "ce_type")).isEqualTo("ultracart.conversation.command.failed");
                JsonNode data = JSON.readTree(failed.value());
                assertThat(data.path("category").asText()).isEqualTo("bad_request");
                assertThat(data.path("http_status").asInt()).isEqualTo(400);
                assertThat(data.path("attempts").asInt()).isEqualTo(1);
                ConsumerRecord<byte[], byte[]> deadLetter = refused.deadLetterOf(commandId);
                assertThat(header(deadLetter, DeadLetters.STAGE)).isEqualTo("TASK_PUT");
                assertThat(header(deadLetter, DeadLetters.HTTP_STATUS)).isEqualTo("400");
            }
            assertThat(JSON.readTree(refused.outcomeOf(uploadId).value()).path("command_type").asText()).isEqualTo("upload-url");
            assertThat(JSON.readTree(refused.outcomeOf(authId).value()).path("command_type").asText()).isEqualTo("agent-auth");
            assertThat(text(refused.deadLetterOf(uploadId).value())).isEqualTo(uploadValue);
            assertThat(text(refused.deadLetterOf(uploadId).key())).isEqualTo("k-1");
            assertThat(text(refused.deadLetterOf(authId).value())).isEqualTo(authValue);
            assertThat(refused.sandbox().requests()).extracting(RecordedRequest::status).containsOnly(400);
            refused.only("reply", Setting.TOPIC_REPLIES, record -> true, 0);
        }
    }

    /**
     * The texts are in one reply (so the search is meaningful), and none is in any record (value, key or header)
     * of the events or dead-letter topics.
     */
    private static void assertAppearNowhereButInReplies(List<String> secrets) {
        for (String secret : secrets) {
            assertThat(secret).isNotBlank();
        }
        connector.only("replies holding the secrets", Setting.TOPIC_REPLIES,
                record -> secrets.stream().allMatch(secret -> contains(record, secret)));
        for (Setting topic : new Setting[] {Setting.TOPIC_EVENTS, Setting.TOPIC_DLQ}) {
            connector.only("record holding a secret", topic,
                    record -> secrets.stream().anyMatch(secret -> contains(record, secret)), 0);
        }
    }

    private static boolean contains(ConsumerRecord<byte[], byte[]> record, String text) {
        StringBuilder all = new StringBuilder();
        if (record.key() != null) {
            all.append(new String(record.key(), StandardCharsets.UTF_8));
        }
        if (record.value() != null) {
            all.append(new String(record.value(), StandardCharsets.UTF_8));
        }
        for (Header header : record.headers()) {
            all.append(header.key()).append('=');
            if (header.value() != null) {
                all.append(new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return all.toString().contains(text);
    }

    private static ConsumerRecord<byte[], byte[]> replyOf(String commandId) {
        return connector.only("reply", Setting.TOPIC_REPLIES, r -> commandId.equals(header(r, "ce_correlationid")));
    }

    private static RecordedRequest lastCall(String method, String path) {
        List<RecordedRequest> calls = connector.sandbox().requests().stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
        assertThat(calls).as("%s %s", method, path).isNotEmpty();
        return calls.get(calls.size() - 1);
    }

    /** A customer opens a conversation through the sandbox's admin endpoint; returns its uuid. */
    private static String customerOpensConversation(String message) throws Exception {
        JsonNode summary = JSON.readTree(sandboxAdmin("POST", "/sandbox/conversations",
                JSON.createObjectNode().put("customer_name", "Ada").put("message", message).toString()));
        String uuid = summary.path("conversation_uuid").asText();
        assertThat(uuid).isNotBlank();
        return uuid;
    }

    private static String sandboxAdmin(String method, String path, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + connector.sandbox().port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return response.body();
    }
}
