// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * UltraCart model {@code ConversationAgentAuth}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationAgentAuth(
        @JsonProperty("chat_admin") Boolean chatAdmin,
        @JsonProperty("chat_user") Boolean chatUser,
        @JsonProperty("conversation_participant_arn") String conversationParticipantArn,
        @JsonProperty("conversation_participant_name") String conversationParticipantName,
        @JsonProperty("customer_profile") Boolean customerProfile,
        /** The default phone number this agent should use when making an outbound call. */
        @JsonProperty("default_phone_number") String defaultPhoneNumber,
        /** UltraCart Groups this user belongs to */
        @JsonProperty("group_ids") List<Integer> groupIds,
        @JsonProperty("jwt") String jwt,
        @JsonProperty("merchant_id") String merchantId,
        /** List of merchants in this linked merchant group */
        @JsonProperty("merchants") List<ConversationAgentAuthMerchant> merchants,
        /** The parent merchant ID for PBX. For non-linked merchants, equals merchant_id. */
        @JsonProperty("parent_merchant_id") String parentMerchantId,
        @JsonProperty("pbx_admin") Boolean pbxAdmin,
        @JsonProperty("pbx_jwt") String pbxJwt,
        @JsonProperty("pbx_supervisor") Boolean pbxSupervisor,
        @JsonProperty("pbx_user") Boolean pbxUser,
        @JsonProperty("pbx_voice_identity") String pbxVoiceIdentity,
        @JsonProperty("pbx_voice_token") String pbxVoiceToken,
        @JsonProperty("pbx_worker_token") String pbxWorkerToken,
        @JsonProperty("pbx_worker_token_v2") String pbxWorkerTokenV2,
        @JsonProperty("twilio_accounts") List<ConversationTwilioAccount> twilioAccounts,
        /** UltraCart User ID */
        @JsonProperty("user_id") Integer userId,
        @JsonProperty("websocket_url") String websocketUrl) {
}
