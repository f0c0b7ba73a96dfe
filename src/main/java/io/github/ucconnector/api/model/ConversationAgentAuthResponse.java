// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * UltraCart model {@code ConversationAgentAuthResponse}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationAgentAuthResponse(
        @JsonProperty("agent_auth") ConversationAgentAuth agentAuth,
        @JsonProperty("error") Error error,
        @JsonProperty("metadata") ResponseMetadata metadata,
        /** Indicates if API call was successful */
        @JsonProperty("success") Boolean success,
        @JsonProperty("warning") Warning warning) {
}
