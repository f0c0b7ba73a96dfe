package io.github.ucconnector.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The UltraCart sandbox over real HTTP, the way users and the connector talk to it: every operation and every error
 * status it produces is checked against UltraCart's OpenAPI description, then its behaviour.
 */
class SandboxTest {

    private static final String VERSION = "2017-03-01";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static OpenApiInteractionValidator spec;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private UltraCartSandbox sandbox;

    @BeforeAll
    static void loadSpec() {
        URL url = SandboxTest.class.getResource("/ultracart/conversation-openapi.json");
        assertThat(url).as("spec on the test classpath").isNotNull();
        spec = OpenApiInteractionValidator.createForSpecificationUrl(url.toString()).build();
    }

    @BeforeEach
    void startSandbox() throws IOException {
        sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0));
    }

    @AfterEach
    void stopSandbox() {
        sandbox.close();
    }

    // =================================================================================================================
    // The seven operations and the error statuses, validated against the spec

    @Test
    void agentAuthConformsToTheSpec() throws Exception {
        Answer answer = api("PUT", "/conversation/agent/auth", null);

        assertConformsToSpec("PUT", "/conversation/agent/auth", answer);
        assertThat(answer.status()).isEqualTo(200);
        JsonNode auth = answer.json().path("agent_auth");
        assertThat(auth.path("jwt").asText()).startsWith("sandbox-jwt-");
        assertThat(auth.path("websocket_url").asText()).isEqualTo("ws://localhost:" + sandbox.port() + "/sandbox/websocket");
        assertThat(auth.path("merchant_id").asText()).isEqualTo("DEMO");
        assertThat(auth.path("conversation_participant_arn").asText()).isEqualTo("arn:ultracart:sandbox:participant:agent-1");
        assertThat(auth.path("conversation_participant_name").asText()).isEqualTo("Sandbox Agent");
        assertThat(auth.path("pbx_jwt").asText()).startsWith("sandbox-");
        assertThat(auth.path("twilio_accounts")).hasSize(1);
        assertThat(answer.json().path("success").asBoolean()).isTrue();
        assertThat(answer.json().path("metadata").isObject()).isTrue();
        assertThat(api("PUT", "/conversation/agent/auth", null).json().path("agent_auth").path("jwt").asText())
                .as("a fresh token each time").isNotEqualTo(auth.path("jwt").asText());
    }

    @Test
    void listConversationsConformsToTheSpec() throws Exception {
        openConversation("Ada", "websocket", "Hello");
        openConversation("Bob", "sms", null);

        Answer answer = api("GET", "/conversation/conversations?_limit=10&_offset=0", null);

        assertConformsToSpec("GET", "/conversation/conversations", answer);
        assertThat(answer.json().path("conversations")).hasSize(2);
        assertThat(answer.json().path("metadata").path("payload_name").asText()).isEqualTo("conversations");
        assertThat(answer.json().path("success").asBoolean()).isTrue();
    }

    @Test
    void startConversationConformsToTheSpec() throws Exception {
        Answer answer = api("PUT", "/conversation/conversations",
                "{\"add_conversation_participant_arns\":[\"arn:ultracart:sandbox:participant:customer-42\"],"
                        + "\"conversation_arn\":\"arn:ultracart:sandbox:conversation:mine\",\"some_future_field\":1}");

        assertConformsToSpec("PUT", "/conversation/conversations", answer);
        JsonNode conversation = answer.json().path("conversation");
        assertThat(answer.json().has("success")).as("ConversationStartResponse has no envelope").isFalse();
        assertThat(conversation.path("conversation_uuid").asText()).matches("[0-9a-f-]{36}");
        assertThat(conversation.path("conversation_arn").asText()).isEqualTo("arn:ultracart:sandbox:conversation:mine");
        assertThat(conversation.path("merchant_id").asText()).isEqualTo("DEMO");
        assertThat(conversation.path("medium").asText()).isEqualTo("websocket");
        assertThat(conversation.path("message_count").asInt()).isZero();
        assertThat(conversation.path("messages")).isEmpty();
        assertThat(conversation.path("closed").asBoolean()).isFalse();
        assertThat(conversation.path("visible").asBoolean()).isTrue();
        assertThat(conversation.path("unread_messages").asBoolean()).isFalse();
        assertThat(conversation.path("base_language_iso_code").asText()).isEqualTo("en");
        assertThat(conversation.path("start_dts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(conversation.path("last_message_dts").asText()).isEqualTo(conversation.path("start_dts").asText());
        assertThat(arns(conversation.path("participants"))).containsExactly(
                "arn:ultracart:sandbox:participant:agent-1", "arn:ultracart:sandbox:participant:customer-42");
    }

    @Test
    void getConversationConformsToTheSpec() throws Exception {
        String uuid = openConversation("Ada", "websocket", "Hello").path("conversation_uuid").asText();
        postMessage(uuid, "agent", "Hi Ada, how can I help?");
        postMessage(uuid, "customer", "Where is my order?");

        Answer answer = api("GET", "/conversation/conversations/" + uuid + "?limit=2", null);

        assertConformsToSpec("GET", "/conversation/conversations/" + uuid, answer);
        JsonNode conversation = answer.json().path("conversation");
        assertThat(answer.json().path("success").asBoolean()).isTrue();
        assertThat(conversation.path("message_count").asInt()).isEqualTo(3);
        assertThat(conversation.path("messages")).as("limit keeps the most recent messages").hasSize(2);
        assertThat(conversation.path("messages").get(0).path("body").asText()).isEqualTo("Hi Ada, how can I help?");
        assertThat(conversation.path("messages").get(1).path("body").asText()).isEqualTo("Where is my order?");
        assertThat(api("GET", "/conversation/conversations/" + uuid, null).json().path("conversation").path("messages"))
                .hasSize(3);
    }

    @Test
    void joinAndLeaveAnswer204WhichTheSpecDoesNotDeclare() throws Exception {
        String uuid = openConversation("Ada", "websocket", "Hello").path("conversation_uuid").asText();

        Answer join = api("PUT", "/conversation/conversations/" + uuid + "/join", "{\"participant_language_iso_code\":\"de\"}");
        Answer leave = api("DELETE", "/conversation/conversations/" + uuid + "/leave", null);

        assertThat(join.status()).isEqualTo(204);
        assertThat(join.body()).isEmpty();
        assertThat(leave.status()).isEqualTo(204);
        assertThat(leave.body()).isEmpty();
        // The spec declares no 2xx response at all for join and leave, so the validator can only say that 204 is an
        // undeclared status; nothing else may be wrong with these answers.
        assertThat(specMessageKeys("PUT", "/conversation/conversations/" + uuid + "/join", join))
                .containsExactly("validation.response.status.unknown");
        assertThat(specMessageKeys("DELETE", "/conversation/conversations/" + uuid + "/leave", leave))
                .containsExactly("validation.response.status.unknown");
    }

    @Test
    void uploadUrlConformsToTheSpec() throws Exception {
        Answer answer = api("GET", "/conversation/upload_url/png", null);

        assertConformsToSpec("GET", "/conversation/upload_url/png", answer);
        JsonNode upload = answer.json().path("conversation_multimedia_upload_url");
        assertThat(upload.path("key").asText()).matches("sandbox/uploads/[0-9a-f-]{36}\\.png");
        assertThat(upload.path("url").asText())
                .startsWith("http://localhost:" + sandbox.port() + "/" + upload.path("key").asText() + "?X-Amz-Signature=")
                .endsWith("&X-Amz-Expires=900");
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofString("fake image")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).as("the presigned URL accepts the upload").isEqualTo(200);
    }

    @Test
    void theSpecCheckIsNotVacuous() throws Exception {
        Answer good = api("GET", "/conversation/conversations", null);
        Answer tampered = new Answer(200, "{\"conversations\":[{\"message_count\":\"many\",\"medium\":\"fax\"}]}",
                good.headers());

        assertThat(validate("GET", "/conversation/conversations", tampered).getMessages())
                .extracting(ValidationReport.Message::getKey).isNotEmpty()
                .allMatch(key -> key.startsWith("validation.response.body.schema"));
    }

    @Test
    void status400ConformsToTheSpec() throws Exception {
        Answer answer = api("GET", "/conversation/conversations/no-such-conversation", null);

        assertThat(answer.status()).isEqualTo(400);
        assertConformsToSpec("GET", "/conversation/conversations/no-such-conversation", answer);
        assertUltraCartError(answer, 400, "conversation not found: no-such-conversation");
    }

    @Test
    void status401ConformsToTheSpec() throws Exception {
        Answer answer = send(request("GET", sandbox.baseUrl() + "/conversation/conversations", null)
                .header("X-UltraCart-Api-Version", VERSION));

        assertThat(answer.status()).isEqualTo(401);
        assertConformsToSpec("GET", "/conversation/conversations", answer);
    }

    @Test
    void status429ConformsToTheSpec() throws Exception {
        admin("PUT", "/sandbox/faults", "{\"requests_per_hour\":1}");
        api("PUT", "/conversation/agent/auth", null);

        Answer answer = api("PUT", "/conversation/agent/auth", null);

        assertThat(answer.status()).isEqualTo(429);
        assertConformsToSpec("PUT", "/conversation/agent/auth", answer);
    }

    @Test
    void status500ConformsToTheSpec() throws Exception {
        admin("PUT", "/sandbox/faults", "{\"fault_share\":1.0,\"fault_kinds\":[\"500\"]}");

        Answer answer = api("GET", "/conversation/upload_url/jpg", null);

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.header("X-Sandbox-Fault")).isEqualTo("500");
        assertConformsToSpec("GET", "/conversation/upload_url/jpg", answer);
    }

    // =================================================================================================================
    // Listing and ordering

    @Test
    void pagingOver450ConversationsWithLimit200Gives200Then200Then50NewestFirst() throws Exception {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            created.add(openConversation("Customer " + i, "websocket", "Message " + i).path("conversation_uuid").asText());
        }

        List<String> seen = new ArrayList<>();
        List<String> lastMessageTimes = new ArrayList<>();
        int[] expectedCounts = {200, 200, 50};
        int offset = 0;
        for (int page = 0; page < 3; page++) {
            JsonNode body = api("GET", "/conversation/conversations?_limit=200&_offset=" + offset, null).json();
            JsonNode resultSet = body.path("metadata").path("result_set");
            int count = expectedCounts[page];
            assertThat(body.path("conversations")).hasSize(count);
            assertThat(resultSet.path("count").asInt()).isEqualTo(count);
            assertThat(resultSet.path("limit").asInt()).isEqualTo(200);
            assertThat(resultSet.path("offset").asInt()).isEqualTo(offset);
            assertThat(resultSet.path("total_records").asInt()).isEqualTo(450);
            assertThat(resultSet.path("more").asBoolean()).isEqualTo(page < 2);
            assertThat(resultSet.path("next_offset").asInt()).isEqualTo(offset + count);
            body.path("conversations").forEach(c -> {
                seen.add(c.path("conversation_uuid").asText());
                lastMessageTimes.add(c.path("last_message_dts").asText());
            });
            offset = resultSet.path("next_offset").asInt();
        }

        assertThat(seen).as("no duplicates, no gaps").hasSize(450).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(created);
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).as("newest first").containsExactlyElementsOf(newestFirst);
        assertThat(lastMessageTimes).isSortedAccordingTo(Comparator.reverseOrder());
        JsonNode beyond = api("GET", "/conversation/conversations?_limit=200&_offset=450", null).json();
        assertThat(beyond.path("conversations")).isEmpty();
        assertThat(beyond.path("metadata").path("result_set").path("more").asBoolean()).isFalse();
    }

    @Test
    void aCustomerMessageMovesItsConversationToTheFront() throws Exception {
        String oldest = openConversation("Ada", "websocket", "Hello").path("conversation_uuid").asText();
        openConversation("Bob", "websocket", "Hi");
        String newest = openConversation("Cy", "websocket", "Hey").path("conversation_uuid").asText();
        assertThat(listedUuids("")).first().isEqualTo(newest);

        Answer message = admin("POST", "/sandbox/conversations/" + oldest + "/messages", "{\"body\":\"Anyone there?\"}");

        assertThat(message.status()).isEqualTo(201);
        assertThat(message.json().path("type").asText()).isEqualTo("message");
        assertThat(message.json().path("message_epoch").asLong()).isPositive();
        List<String> order = listedUuids("");
        assertThat(order).hasSize(3).first().isEqualTo(oldest);
        JsonNode summary = api("GET", "/conversation/conversations", null).json().path("conversations").get(0);
        assertThat(summary.path("last_conversation_message_body").asText()).isEqualTo("Anyone there?");
        assertThat(summary.path("last_conversation_participant_name").asText()).isEqualTo("Ada");
        assertThat(summary.path("message_count").asInt()).isEqualTo(2);
        assertThat(summary.path("unread_messages").asBoolean()).isTrue();
    }

    @Test
    void summaryTracksUnreadAndUnrespondedCustomerMessages() throws Exception {
        JsonNode opened = openConversation("Ada", "websocket", "Hello");
        String uuid = opened.path("conversation_uuid").asText();
        String firstCustomerMessage = opened.path("last_message_dts").asText();
        assertThat(opened.path("customer_first_message_unresponded_to_dts").asText()).isEqualTo(firstCustomerMessage);

        postMessage(uuid, "customer", "Still there?");
        JsonNode waiting = api("GET", "/conversation/conversations", null).json().path("conversations").get(0);
        assertThat(waiting.path("customer_first_message_unresponded_to_dts").asText()).isEqualTo(firstCustomerMessage);

        postMessage(uuid, "agent", "Yes!");
        JsonNode answered = api("GET", "/conversation/conversations", null).json().path("conversations").get(0);
        assertThat(answered.has("customer_first_message_unresponded_to_dts")).isFalse();
        assertThat(answered.path("unread_messages").asBoolean()).isFalse();
        assertThat(answered.path("last_conversation_participant_arn").asText())
                .isEqualTo("arn:ultracart:sandbox:participant:agent-1");

        JsonNode later = postMessage(uuid, "customer", "Thanks");
        JsonNode again = api("GET", "/conversation/conversations", null).json().path("conversations").get(0);
        assertThat(again.path("customer_first_message_unresponded_to_dts").asText()).isEqualTo(later.path("message_dts").asText());
    }

    @Test
    void mediumFiltersTheList() throws Exception {
        String sms = openConversation("Ada", "sms", "Hello").path("conversation_uuid").asText();
        String web = openConversation("Bob", "websocket", "Hi").path("conversation_uuid").asText();

        assertThat(listedUuids("?medium=sms")).containsExactly(sms);
        assertThat(listedUuids("?medium=websocket")).containsExactly(web);
        assertThat(listedUuids("?before=2020-01-01T00:00:00.000Z")).as("before is accepted and ignored").hasSize(2);
        assertThat(api("GET", "/conversation/conversations?medium=fax", null).status()).isEqualTo(400);
    }

    @Test
    void listParametersAreValidated() throws Exception {
        openConversation("Ada", "websocket", null);

        assertThat(api("GET", "/conversation/conversations?_limit=0", null).status()).isEqualTo(400);
        assertThat(api("GET", "/conversation/conversations?_limit=ten", null).status()).isEqualTo(400);
        assertThat(api("GET", "/conversation/conversations?_offset=-1", null).status()).isEqualTo(400);
        assertThat(api("GET", "/conversation/conversations?_offset=x", null).status()).isEqualTo(400);
        JsonNode clamped = api("GET", "/conversation/conversations?_limit=500", null).json();
        assertThat(clamped.path("metadata").path("result_set").path("limit").asInt()).isEqualTo(200);
        JsonNode defaults = api("GET", "/conversation/conversations", null).json();
        assertThat(defaults.path("metadata").path("result_set").path("limit").asInt()).isEqualTo(100);
        assertThat(defaults.path("metadata").path("result_set").path("offset").asInt()).isZero();
    }

    // =================================================================================================================
    // Authentication, version, input errors

    @Test
    void aMissingKeyIs401WithUcRestError() throws Exception {
        Answer answer = send(request("GET", sandbox.baseUrl() + "/conversation/conversations", null)
                .header("X-UltraCart-Api-Version", VERSION));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("UC-REST-ERROR")).isNotBlank();
        assertThat(answer.json().path("error").path("error_code").asText()).isEqualTo("401");
        assertThat(answer.json().path("success").asBoolean(true)).isFalse();
    }

    @Test
    void aWrongKeyIs401AndTheBearerTokenIsAccepted() throws Exception {
        Answer wrongKey = send(request("GET", sandbox.baseUrl() + "/conversation/conversations", null)
                .header("x-ultracart-simple-key", "not-the-key").header("X-UltraCart-Api-Version", VERSION));
        Answer wrongToken = send(request("GET", sandbox.baseUrl() + "/conversation/conversations", null)
                .header("Authorization", "Bearer nope").header("X-UltraCart-Api-Version", VERSION));
        Answer bearer = send(request("GET", sandbox.baseUrl() + "/conversation/conversations", null)
                .header("Authorization", "Bearer " + SandboxOptions.DEFAULT_OAUTH_TOKEN).header("X-UltraCart-Api-Version", VERSION));

        assertUltraCartError(wrongKey, 401, "invalid credentials supplied");
        assertUltraCartError(wrongToken, 401, "invalid credentials supplied");
        assertThat(bearer.status()).isEqualTo(200);
    }

    @Test
    void aMissingVersionIs400AndAuthenticationIsCheckedFirst() throws Exception {
        Answer noVersion = send(request("GET", sandbox.baseUrl() + "/conversation/conversations", null)
                .header("x-ultracart-simple-key", SandboxOptions.DEFAULT_API_KEY));
        Answer wrongVersion = send(request("GET", sandbox.baseUrl() + "/conversation/conversations", null)
                .header("x-ultracart-simple-key", SandboxOptions.DEFAULT_API_KEY).header("X-UltraCart-Api-Version", "2016-01-01"));
        Answer neither = send(request("GET", sandbox.baseUrl() + "/conversation/conversations", null));

        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.header("UC-REST-ERROR")).contains("X-UltraCart-Api-Version");
        assertConformsToSpec("GET", "/conversation/conversations", noVersion);
        assertThat(wrongVersion.status()).isEqualTo(400);
        assertThat(neither.status()).isEqualTo(401);
    }

    @Test
    void badJsonIs400() throws Exception {
        Answer broken = api("PUT", "/conversation/conversations", "{\"conversation_arn\": ");
        Answer wrongType = api("PUT", "/conversation/conversations", "{\"add_conversation_participant_arns\": \"arn:x\"}");
        Answer missing = api("PUT", "/conversation/conversations", null);
        Answer brokenJoin = api("PUT", "/conversation/conversations/whatever/join", "not json");

        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.header("UC-REST-ERROR")).startsWith("invalid JSON");
        assertConformsToSpec("PUT", "/conversation/conversations", broken);
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(brokenJoin.status()).isEqualTo(400);
    }

    @Test
    void unknownPathsAre404AndWrongMethodsAre405() throws Exception {
        Answer unknown = api("GET", "/conversation/nothing-here", null);
        Answer trailingSlash = api("GET", "/conversation/conversations/", null);
        Answer wrongMethod = api("POST", "/conversation/agent/auth", "");

        assertUltraCartError(unknown, 404, "no such operation: /rest/v2/conversation/nothing-here");
        assertThat(trailingSlash.status()).isEqualTo(404);
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).isEqualTo("PUT");
        assertThat(wrongMethod.json().path("error").path("error_code").asText()).isEqualTo("405");
    }

    @Test
    void unknownConversationsAre400ForJoinAndLeave() throws Exception {
        assertUltraCartError(api("PUT", "/conversation/conversations/nope/join", null), 400, "conversation not found: nope");
        assertUltraCartError(api("DELETE", "/conversation/conversations/nope/leave", null), 400, "conversation not found: nope");
    }

    @Test
    void uploadUrlExtensionsMustBeShortAndAlphanumeric() throws Exception {
        assertThat(api("GET", "/conversation/upload_url/.jpg", null).status()).isEqualTo(400);
        assertThat(api("GET", "/conversation/upload_url/abcdefghijk", null).status()).isEqualTo(400);
        assertThat(api("GET", "/conversation/upload_url/MP4", null).status()).isEqualTo(200);
    }

    // =================================================================================================================
    // Join and leave

    @Test
    void joinThenLeaveChangesTheParticipants() throws Exception {
        String uuid = openConversation("Ada", "websocket", "Hello").path("conversation_uuid").asText();
        assertThat(arns(conversation(uuid).path("participants"))).doesNotContain("arn:ultracart:sandbox:participant:agent-1");

        api("PUT", "/conversation/conversations/" + uuid + "/join", "{\"participant_language_iso_code\":\"fr\"}");
        JsonNode joined = agentParticipant(conversation(uuid));
        assertThat(joined.path("status").asText()).isEqualTo("active");
        assertThat(joined.path("language_iso_code").asText()).isEqualTo("fr");
        assertThat(joined.path("joined_dts").asText()).isNotEmpty();
        assertThat(joined.has("left_dts")).isFalse();

        api("DELETE", "/conversation/conversations/" + uuid + "/leave", null);
        JsonNode left = agentParticipant(conversation(uuid));
        assertThat(left.path("status").asText()).isEqualTo("left");
        assertThat(left.path("left_dts").asText()).isNotEmpty();

        api("PUT", "/conversation/conversations/" + uuid + "/join", null);
        JsonNode rejoined = agentParticipant(conversation(uuid));
        assertThat(rejoined.path("status").asText()).isEqualTo("active");
        assertThat(rejoined.has("left_dts")).isFalse();
        assertThat(conversation(uuid).path("participants")).as("re-activated, not added twice").hasSize(2);
    }

    // =================================================================================================================
    // Faults and limits

    @Test
    void latencyIsAddedAndSwitchesOffAgain() throws Exception {
        Answer settings = admin("PUT", "/sandbox/faults", "{\"latency_ms\":300}");
        assertThat(settings.json().path("latency_ms").asLong()).isEqualTo(300);
        assertThat(admin("GET", "/sandbox/faults", null).json().path("latency_ms").asLong()).isEqualTo(300);

        long slow = timed(() -> api("PUT", "/conversation/agent/auth", null));
        admin("PUT", "/sandbox/faults", "{}");
        long fast = timed(() -> api("PUT", "/conversation/agent/auth", null));

        assertThat(slow).isGreaterThanOrEqualTo(300);
        assertThat(fast).isLessThan(250);
        assertThat(admin("GET", "/sandbox/faults", null).json().path("latency_ms").asLong()).isZero();
    }

    @Test
    void aFullShareOf429FaultsFailsEveryCallUntilSwitchedOff() throws Exception {
        admin("PUT", "/sandbox/faults", "{\"fault_share\":1.0,\"fault_kinds\":[\"429\"]}");

        for (int i = 0; i < 5; i++) {
            Answer answer = api("GET", "/conversation/conversations", null);
            assertUltraCartError(answer, 429, "rate of 1000 per 3600 second(s) exceeded.");
            assertThat(answer.header("X-Sandbox-Fault")).isEqualTo("429");
        }
        admin("PUT", "/sandbox/faults", "{\"fault_share\":0}");

        assertThat(api("GET", "/conversation/conversations", null).status()).isEqualTo(200);
        assertThat(sandbox.requests()).extracting(RecordedRequest::status).containsExactly(429, 429, 429, 429, 429, 200);
    }

    @Test
    void aTimeoutFaultHoldsTheRequestThenAnswers500() throws Exception {
        admin("PUT", "/sandbox/faults", "{\"fault_share\":1,\"fault_kinds\":[\"timeout\"],\"timeout_ms\":300}");

        long[] elapsed = new long[1];
        Answer[] answer = new Answer[1];
        elapsed[0] = timed(() -> answer[0] = api("GET", "/conversation/conversations", null));

        assertThat(elapsed[0]).isGreaterThanOrEqualTo(300);
        assertThat(answer[0].status()).isEqualTo(500);
        assertConformsToSpec("GET", "/conversation/conversations", answer[0]);
    }

    @Test
    void an400FaultRejectsTheCallAsUltraCartWouldAndDoesNotCarryItOut() throws Exception {
        admin("PUT", "/sandbox/faults", "{\"fault_share\":1.0,\"fault_kinds\":[\"400\"]}");

        Answer answer = api("PUT", "/conversation/conversations", "{}");

        assertUltraCartError(answer, 400, "simulated bad request: UltraCart rejected the request (sandbox fault injection)");
        assertThat(answer.header("X-Sandbox-Fault")).isEqualTo("400");
        assertThat(answer.header("Retry-After")).isNull();
        assertConformsToSpec("PUT", "/conversation/conversations", answer);
        admin("PUT", "/sandbox/faults", "{}");
        assertThat(api("GET", "/conversation/conversations", null).json().path("conversations"))
                .as("the rejected start created no conversation").isEmpty();
        assertThat(sandbox.requests()).extracting(RecordedRequest::status).containsExactly(400, 200);
    }

    @Test
    void withoutFaultKindsEveryKindButTheNonRetryable400IsInjected() throws Exception {
        JsonNode settings = admin("PUT", "/sandbox/faults", "{\"fault_share\":1.0,\"timeout_ms\":0}").json();
        assertThat(settings.path("fault_kinds")).extracting(JsonNode::asText)
                .containsExactly("429", "500", "502", "503", "timeout");

        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(api("GET", "/conversation/upload_url/jpg", null).header("X-Sandbox-Fault"));
        }

        assertThat(seen).containsExactlyInAnyOrder("429", "500", "502", "503", "timeout");
    }

    @Test
    void retryAfterSecondsIsSentWithInjected429And503Only() throws Exception {
        JsonNode settings = admin("PUT", "/sandbox/faults",
                "{\"fault_share\":1.0,\"fault_kinds\":[\"429\",\"503\"],\"retry_after_seconds\":7}").json();
        assertThat(settings.path("retry_after_seconds").asInt()).isEqualTo(7);
        Set<String> kinds = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            Answer answer = api("GET", "/conversation/conversations", null);
            assertThat(answer.status()).isIn(429, 503);
            assertThat(answer.header("Retry-After")).isEqualTo("7");
            if (answer.status() == 429) { // the spec declares no 503
                assertConformsToSpec("GET", "/conversation/conversations", answer);
            }
            kinds.add(answer.header("X-Sandbox-Fault"));
        }
        assertThat(kinds).containsExactlyInAnyOrder("429", "503");

        admin("PUT", "/sandbox/faults", "{\"fault_share\":1.0,\"fault_kinds\":[\"400\",\"500\",\"502\",\"timeout\"],"
                + "\"timeout_ms\":0,\"retry_after_seconds\":7}");
        for (int i = 0; i < 40; i++) {
            Answer answer = api("GET", "/conversation/conversations", null);
            assertThat(answer.header("Retry-After")).as("%s fault", answer.header("X-Sandbox-Fault")).isNull();
        }

        admin("PUT", "/sandbox/faults", "{\"fault_share\":1.0,\"fault_kinds\":[\"429\",\"503\"]}");
        assertThat(api("GET", "/conversation/conversations", null).header("Retry-After")).as("off by default").isNull();
        admin("PUT", "/sandbox/faults", "{\"requests_per_hour\":1,\"retry_after_seconds\":7}");
        api("GET", "/conversation/conversations", null);
        Answer limited = api("GET", "/conversation/conversations", null);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).as("the limits' own 429 is not a fault").isNull();
    }

    @Test
    void aRateLimitOfNPerHourAnswers429OnCallNPlus1() throws Exception {
        int n = 5;
        admin("PUT", "/sandbox/faults", "{\"requests_per_hour\":" + n + "}");

        for (int i = 0; i < n; i++) {
            assertThat(api("GET", "/conversation/conversations", null).status()).as("call " + (i + 1)).isEqualTo(200);
        }
        Answer refused = api("GET", "/conversation/conversations", null);

        assertUltraCartError(refused, 429, "rate of 5 per 3600 second(s) exceeded.");
        assertThat(sandbox.requests()).last().extracting(RecordedRequest::status).isEqualTo(429);
        admin("PUT", "/sandbox/faults", "{\"requests_per_day\":2}");
        api("GET", "/conversation/conversations", null);
        api("GET", "/conversation/conversations", null);
        assertUltraCartError(api("GET", "/conversation/conversations", null), 429, "rate of 2 per 86400 second(s) exceeded.");
    }

    @Test
    void concurrentRequestsOverTheLimitAre429() throws Exception {
        // The first call is held long enough for the second to arrive meanwhile, even on a loaded machine.
        admin("PUT", "/sandbox/faults", "{\"latency_ms\":3000,\"max_concurrent\":1}");

        CompletableFuture<HttpResponse<String>> first = http.sendAsync(
                apiRequest("GET", "/conversation/conversations", null).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> sandbox.requests().size() == 1);
        Answer second = api("GET", "/conversation/conversations", null);

        assertUltraCartError(second, 429, "concurrent requests are not allowed.");
        assertThat(first.get().statusCode()).isEqualTo(200);
        assertThat(sandbox.requests()).extracting(RecordedRequest::status).containsExactly(200, 429);
    }

    @Test
    void faultSettingsAreValidated() throws Exception {
        assertThat(admin("PUT", "/sandbox/faults", "{\"fault_share\":1.5}").status()).isEqualTo(400);
        assertThat(admin("PUT", "/sandbox/faults", "{\"fault_kinds\":[\"404\"]}").status()).isEqualTo(400);
        assertThat(admin("PUT", "/sandbox/faults", "{\"latency\":5}").status()).as("typos are caught").isEqualTo(400);
        assertThat(admin("PUT", "/sandbox/faults", "{\"requests_per_hour\":0}").status()).isEqualTo(400);
        assertThat(admin("PUT", "/sandbox/faults", "{\"retry_after_seconds\":-1}").status()).isEqualTo(400);
        assertThat(admin("PUT", "/sandbox/faults", "{\"retry_after_seconds\":86401}").status()).isEqualTo(400);
        assertThat(admin("PUT", "/sandbox/faults", "{\"fault_kinds\":[\"401\"]}").status()).isEqualTo(400);
        assertThat(admin("PUT", "/sandbox/faults", "{\"fault_kinds\":[\"400\"]}").status()).isEqualTo(200);
        admin("PUT", "/sandbox/faults", "{}");
        JsonNode defaults = admin("GET", "/sandbox/faults", null).json();
        assertThat(defaults.path("fault_share").asDouble()).isZero();
        assertThat(defaults.path("timeout_ms").asLong()).isEqualTo(30_000);
        assertThat(defaults.path("fault_kinds")).hasSize(5);
        assertThat(defaults.has("requests_per_hour")).isTrue();
        assertThat(defaults.path("requests_per_hour").isNull()).isTrue();
        assertThat(defaults.has("retry_after_seconds")).isTrue();
        assertThat(defaults.path("retry_after_seconds").isNull()).isTrue();
    }

    // =================================================================================================================
    // Recorded requests and the admin endpoints

    @Test
    void recordedRequestsMaskTheCredentials() throws Exception {
        api("GET", "/conversation/conversations?_limit=5", null);
        send(request("PUT", sandbox.baseUrl() + "/conversation/agent/auth", null)
                .header("Authorization", "Bearer " + SandboxOptions.DEFAULT_OAUTH_TOKEN).header("X-UltraCart-Api-Version", VERSION));
        admin("GET", "/sandbox/faults", null);

        List<RecordedRequest> requests = sandbox.requests();
        assertThat(requests).hasSize(2);
        RecordedRequest list = requests.get(0);
        assertThat(list.method()).isEqualTo("GET");
        assertThat(list.path()).isEqualTo("/rest/v2/conversation/conversations");
        assertThat(list.query()).isEqualTo("_limit=5");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.headers()).containsEntry("x-ultracart-simple-key", "****")
                .containsEntry("x-ultracart-api-version", VERSION);
        assertThat(requests.get(1).headers()).containsEntry("authorization", "****");
        Answer viaHttp = admin("GET", "/sandbox/requests", null);
        assertThat(viaHttp.json()).hasSize(2);
        assertThat(viaHttp.body()).doesNotContain(SandboxOptions.DEFAULT_API_KEY, SandboxOptions.DEFAULT_OAUTH_TOKEN);
        assertThat(requests.toString()).doesNotContain(SandboxOptions.DEFAULT_API_KEY, SandboxOptions.DEFAULT_OAUTH_TOKEN);
        assertThat(SandboxOptions.defaults(0).toString()).doesNotContain(SandboxOptions.DEFAULT_API_KEY);

        assertThat(admin("DELETE", "/sandbox/requests", null).status()).isEqualTo(204);
        assertThat(sandbox.requests()).isEmpty();
    }

    @Test
    void adminEndpointsOpenMessageAndCloseConversations() throws Exception {
        Answer opened = admin("POST", "/sandbox/conversations", "{\"customer_name\":\"Ada\",\"medium\":\"sms\",\"message\":\"Hello\"}");
        assertThat(opened.status()).isEqualTo(201);
        String uuid = opened.json().path("conversation_uuid").asText();
        assertThat(opened.json().path("medium").asText()).isEqualTo("sms");
        assertThat(opened.json().path("message_count").asInt()).isEqualTo(1);

        Answer reply = admin("POST", "/sandbox/conversations/" + uuid + "/messages", "{\"body\":\"Hi Ada\",\"author\":\"agent\"}");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().path("author_conversation_participant_name").asText()).isEqualTo("Sandbox Agent");
        assertThat(reply.json().path("language_iso_code").asText()).isEqualTo("en");

        Answer closed = admin("POST", "/sandbox/conversations/" + uuid + "/close", null);
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.json().path("closed").asBoolean()).isTrue();
        assertThat(conversation(uuid).path("closed").asBoolean()).isTrue();

        assertThat(admin("POST", "/sandbox/conversations/nope/messages", "{\"body\":\"x\"}").status()).isEqualTo(404);
        assertThat(admin("POST", "/sandbox/conversations/nope/close", null).status()).isEqualTo(404);
        assertThat(admin("POST", "/sandbox/conversations/" + uuid + "/messages", "{\"author\":\"agent\"}").status()).isEqualTo(400);
        assertThat(admin("POST", "/sandbox/conversations", "{\"medium\":\"fax\"}").status()).isEqualTo(400);
        assertThat(admin("GET", "/sandbox/nothing", null).status()).isEqualTo(404);
        assertThat(sandbox.requests()).extracting(RecordedRequest::path).allMatch(path -> path.startsWith("/rest/v2/"));
    }

    @Test
    void resetClearsConversationsRequestsAndFaults() throws Exception {
        openConversation("Ada", "websocket", "Hello");
        admin("PUT", "/sandbox/faults", "{\"latency_ms\":50}");
        api("GET", "/conversation/conversations", null);

        assertThat(admin("POST", "/sandbox/reset", null).status()).isEqualTo(204);

        assertThat(sandbox.requests()).isEmpty();
        assertThat(admin("GET", "/sandbox/faults", null).json().path("latency_ms").asLong()).isZero();
        assertThat(api("GET", "/conversation/conversations", null).json().path("conversations")).isEmpty();
    }

    @Test
    void concurrentCallsAreAllAnswered() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(http.sendAsync(apiRequest("PUT", "/conversation/conversations", "{}").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> uuids = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertThat(response.statusCode()).isEqualTo(200);
            uuids.add(JSON.readTree(response.body()).path("conversation").path("conversation_uuid").asText());
        }
        assertThat(uuids).hasSize(40);
        assertThat(listedUuids("?_limit=200")).hasSize(40);
        assertThat(sandbox.requests()).hasSize(41);
    }

    @Test
    void startsFastAndStopsPromptly() throws Exception {
        long start = System.nanoTime();
        UltraCartSandbox other = UltraCartSandbox.start(SandboxOptions.defaults(0));
        long started = (System.nanoTime() - start) / 1_000_000;
        assertThat(other.baseUrl()).isEqualTo("http://localhost:" + other.port() + "/rest/v2");
        assertThat(other.port()).isNotEqualTo(sandbox.port());
        long stop = System.nanoTime();
        other.close();
        assertThat(started).isLessThan(200);
        assertThat((System.nanoTime() - stop) / 1_000_000).isLessThan(1000);
    }

    // =================================================================================================================
    // Helpers

    private record Answer(int status, String body, HttpHeaders headers) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static long timed(Call call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private HttpRequest.Builder request(String method, String url, String body) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Accept", "application/json");
    }

    private HttpRequest.Builder apiRequest(String method, String pathAndQuery, String body) {
        HttpRequest.Builder builder = request(method, sandbox.baseUrl() + pathAndQuery, body)
                .header("x-ultracart-simple-key", SandboxOptions.DEFAULT_API_KEY)
                .header("X-UltraCart-Api-Version", VERSION);
        return body == null ? builder : builder.header("Content-Type", "application/json");
    }

    private Answer api(String method, String pathAndQuery, String body) throws Exception {
        return send(apiRequest(method, pathAndQuery, body));
    }

    private Answer admin(String method, String path, String body) throws Exception {
        return send(request(method, "http://localhost:" + sandbox.port() + path, body));
    }

    private Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.headers());
    }

    private JsonNode openConversation(String name, String medium, String message) throws Exception {
        Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("customer_name", name);
        body.put("medium", medium);
        if (message != null) {
            body.put("message", message);
        }
        Answer answer = admin("POST", "/sandbox/conversations", JSON.writeValueAsString(body));
        assertThat(answer.status()).isEqualTo(201);
        return answer.json();
    }

    private JsonNode postMessage(String uuid, String author, String text) throws Exception {
        Answer answer = admin("POST", "/sandbox/conversations/" + uuid + "/messages",
                JSON.writeValueAsString(Map.of("author", author, "body", text)));
        assertThat(answer.status()).isEqualTo(201);
        return answer.json();
    }

    private JsonNode conversation(String uuid) throws Exception {
        Answer answer = api("GET", "/conversation/conversations/" + uuid, null);
        assertThat(answer.status()).isEqualTo(200);
        return answer.json().path("conversation");
    }

    private List<String> listedUuids(String query) throws Exception {
        List<String> uuids = new ArrayList<>();
        api("GET", "/conversation/conversations" + query, null).json().path("conversations")
                .forEach(c -> uuids.add(c.path("conversation_uuid").asText()));
        return uuids;
    }

    private static JsonNode agentParticipant(JsonNode conversation) {
        for (JsonNode participant : conversation.path("participants")) {
            if (participant.path("conversation_participant_arn").asText().equals("arn:ultracart:sandbox:participant:agent-1")) {
                return participant;
            }
        }
        throw new AssertionError("the sandbox agent is not a participant: " + conversation);
    }

    private static List<String> arns(JsonNode participants) {
        List<String> arns = new ArrayList<>();
        participants.forEach(p -> arns.add(p.path("conversation_participant_arn").asText()));
        return arns;
    }

    private static void assertUltraCartError(Answer answer, int status, String message) throws IOException {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.header("UC-REST-ERROR")).isEqualTo(message);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = answer.json();
        assertThat(body.path("error").path("developer_message").asText()).isEqualTo(message);
        assertThat(body.path("error").path("user_message").asText()).isEqualTo(message);
        assertThat(body.path("error").path("error_code").asText()).isEqualTo(String.valueOf(status));
        assertThat(body.path("metadata").isObject()).isTrue();
        assertThat(body.path("success").isBoolean()).isTrue();
        assertThat(body.path("success").asBoolean()).isFalse();
    }

    private ValidationReport validate(String method, String path, Answer answer) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(answer.status());
        answer.headers().map().forEach((name, values) -> response.withHeader(name, values));
        if (!answer.body().isEmpty()) {
            response.withBody(answer.body());
        }
        return spec.validateResponse("/rest/v2" + path, Request.Method.valueOf(method), response.build());
    }

    private void assertConformsToSpec(String method, String path, Answer answer) {
        ValidationReport report = validate(method, path, answer);
        assertThat(report.getMessages()).as("spec validation of %s %s (%d): %s", method, path, answer.status(), answer.body())
                .isEmpty();
    }

    private List<String> specMessageKeys(String method, String path, Answer answer) {
        return validate(method, path, answer).getMessages().stream().map(ValidationReport.Message::getKey).toList();
    }
}
