// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * UltraCart model {@code ConversationMessage}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationMessage(
        @JsonProperty("author_conversation_participant_arn") String authorConversationParticipantArn,
        @JsonProperty("author_conversation_participant_name") String authorConversationParticipantName,
        @JsonProperty("body") String body,
        @JsonProperty("client_message_id") String clientMessageId,
        @JsonProperty("conversation_message_uuid") String conversationMessageUuid,
        /** Delay message transmission until date/time UltraCart date/time text (format "dateTime"). */
        @JsonProperty("delay_until_dts") String delayUntilDts,
        @JsonProperty("language_iso_code") String languageIsoCode,
        @JsonProperty("media_urls") List<String> mediaUrls,
        @JsonProperty("merchant_id") String merchantId,
        /** Message date/time UltraCart date/time text (format "dateTime"). */
        @JsonProperty("message_dts") String messageDts,
        /** Message epoch milliseconds */
        @JsonProperty("message_epoch") Long messageEpoch,
        @JsonProperty("message_type") String messageType,
        @JsonProperty("translations") List<ConversationMessageTranslation> translations,
        @JsonProperty("transport_statuses") List<ConversationMessageTransportStatus> transportStatuses,
        /** Message type Values seen in the spec: "message", "notice", "engagement prompt". */
        @JsonProperty("type") String type,
        @JsonProperty("upload_keys") List<String> uploadKeys) {
}
