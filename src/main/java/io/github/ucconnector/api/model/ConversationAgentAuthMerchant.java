// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * UltraCart model {@code ConversationAgentAuthMerchant}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationAgentAuthMerchant(
        /** The company name for this merchant */
        @JsonProperty("company") String company,
        /** True if this is the parent merchant that owns the Twilio account */
        @JsonProperty("is_parent") Boolean isParent,
        /** The merchant ID At most 20 characters. */
        @JsonProperty("merchant_id") String merchantId) {
}
