// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * UltraCart model {@code ConversationSummary}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationSummary(
        @JsonProperty("closed") Boolean closed,
        @JsonProperty("conversation_arn") String conversationArn,
        @JsonProperty("conversation_uuid") String conversationUuid,
        /** Date/time of the first customer message that is unresponded to. UltraCart date/time text (format "dateTime"). */
        @JsonProperty("customer_first_message_unresponded_to_dts") String customerFirstMessageUnrespondedToDts,
        @JsonProperty("last_conversation_message_body") String lastConversationMessageBody,
        @JsonProperty("last_conversation_participant_arn") String lastConversationParticipantArn,
        @JsonProperty("last_conversation_participant_name") String lastConversationParticipantName,
        /** Last interactive message date/time UltraCart date/time text (format "dateTime"). */
        @JsonProperty("last_interactive_message_dts") String lastInteractiveMessageDts,
        /** Last message date/time UltraCart date/time text (format "dateTime"). */
        @JsonProperty("last_message_dts") String lastMessageDts,
        /** The communication medium of the customer. Values seen in the spec: "sms", "websocket". */
        @JsonProperty("medium") String medium,
        @JsonProperty("merchant_id") String merchantId,
        @JsonProperty("message_count") Integer messageCount,
        @JsonProperty("participants") List<ConversationParticipant> participants,
        @JsonProperty("sentiment") ConversationSentiment sentiment,
        /** Start of the conversation date/time UltraCart date/time text (format "dateTime"). */
        @JsonProperty("start_dts") String startDts,
        @JsonProperty("unread_messages") Boolean unreadMessages,
        @JsonProperty("visible") Boolean visible) {
}
