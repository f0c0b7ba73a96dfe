// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * UltraCart model {@code ConversationStartRequest}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationStartRequest(
        @JsonProperty("add_conversation_participant_arns") List<String> addConversationParticipantArns,
        @JsonProperty("conversation_arn") String conversationArn,
        @JsonProperty("conversation_webchat_queue_uuid") String conversationWebchatQueueUuid) {
}
