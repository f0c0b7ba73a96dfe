// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;

/**
 * UltraCart model {@code Conversation}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Conversation(
        /** The base language iso code for the StoreFront that everything is translated into */
        @JsonProperty("base_language_iso_code") String baseLanguageIsoCode,
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
        @JsonProperty("messages") List<ConversationMessage> messages,
        @JsonProperty("participants") List<ConversationParticipant> participants,
        @JsonProperty("sentiment") ConversationSentiment sentiment,
        /** Start of the conversation date/time UltraCart date/time text (format "dateTime"). */
        @JsonProperty("start_dts") String startDts,
        @JsonProperty("unread_messages") Boolean unreadMessages,
        /** True if a virtual agent answered the conversation */
        @JsonProperty("virtual_agent") Boolean virtualAgent,
        /** The cost of this conversation performed by the virtual agent */
        @JsonProperty("virtual_agent_cost") BigDecimal virtualAgentCost,
        @JsonProperty("visible") Boolean visible) {
}
