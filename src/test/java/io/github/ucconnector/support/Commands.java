package io.github.ucconnector.support;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Command record values as a user's application writes them (field names as in docs/schemas/commands), built
 * fluently: {@code Commands.join(id, uuid).withLanguage("es").toJson()}. Fields appear in the order they are set,
 * {@code command_id} first. Tests of malformed input keep their raw strings: this builder only writes valid JSON.
 */
public final class Commands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode fields = JSON.createObjectNode();

    private Commands(String commandId) {
        fields.put("command_id", commandId);
    }

    /** A start command; without participants or queue it starts an empty conversation. */
    public static Commands start(String commandId) {
        return new Commands(commandId);
    }

    public static Commands join(String commandId, String conversationUuid) {
        return onConversation(commandId, conversationUuid);
    }

    public static Commands leave(String commandId, String conversationUuid) {
        return onConversation(commandId, conversationUuid);
    }

    public static Commands get(String commandId, String conversationUuid) {
        return onConversation(commandId, conversationUuid);
    }

    /** A join, leave or get with only its required fields: the three look alike, only their topics differ. */
    public static Commands onConversation(String commandId, String conversationUuid) {
        return new Commands(commandId).with("conversation_uuid", conversationUuid);
    }

    public static Commands uploadUrl(String commandId, String extension) {
        return new Commands(commandId).with("extension", extension);
    }

    public static Commands agentAuth(String commandId) {
        return new Commands(commandId);
    }

    /** Only a command id: complete for agent-auth, missing required fields for every other type. */
    public static Commands idOnly(String commandId) {
        return new Commands(commandId);
    }

    /** start: {@code add_conversation_participant_arns}. */
    public Commands withParticipants(String... arns) {
        ArrayNode list = fields.putArray("add_conversation_participant_arns");
        for (String arn : arns) {
            list.add(arn);
        }
        return this;
    }

    /** start: {@code conversation_arn}. */
    public Commands withConversationArn(String arn) {
        return with("conversation_arn", arn);
    }

    /** start: {@code conversation_webchat_queue_uuid}. */
    public Commands withQueue(String queueUuid) {
        return with("conversation_webchat_queue_uuid", queueUuid);
    }

    /** join: {@code participant_language_iso_code}. */
    public Commands withLanguage(String isoCode) {
        return with("participant_language_iso_code", isoCode);
    }

    /** get: {@code limit}. */
    public Commands withLimit(int limit) {
        fields.put("limit", limit);
        return this;
    }

    private Commands with(String field, String value) {
        fields.put(field, value);
        return this;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
