// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * UltraCart model {@code ConversationMessageTransportStatus}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationMessageTransportStatus(
        @JsonProperty("conversation_participant_arn") String conversationParticipantArn,
        /** The status of the message transport Values seen in the spec: "accepted", "scheduled", "queued", "sending", "sent", "read", "TWILIO_CREDENTIALS_MISSING", "SENT_TO_TWILIO", "TWILIO_ERROR", "SENT_TO_PINPOINT", "PINPOINT_ERROR". */
        @JsonProperty("status") String status) {
}
