// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * UltraCart model {@code ConversationParticipant}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationParticipant(
        @JsonProperty("conversation_participant_arn") String conversationParticipantArn,
        @JsonProperty("conversation_participant_name") String conversationParticipantName,
        @JsonProperty("conversation_participant_uuid") String conversationParticipantUuid,
        @JsonProperty("email") String email,
        /** Joined conversation date/time UltraCart date/time text (format "dateTime"). */
        @JsonProperty("joined_dts") String joinedDts,
        @JsonProperty("language_iso_code") String languageIsoCode,
        /** Last message date/time UltraCart date/time text (format "dateTime"). */
        @JsonProperty("last_message_dts") String lastMessageDts,
        /** Left conversation date/time UltraCart date/time text (format "dateTime"). */
        @JsonProperty("left_dts") String leftDts,
        @JsonProperty("profile_image_url") String profileImageUrl,
        @JsonProperty("sms_phone_number") String smsPhoneNumber,
        @JsonProperty("status") String status,
        @JsonProperty("timezone") String timezone,
        @JsonProperty("unread_messages") Integer unreadMessages) {
}
