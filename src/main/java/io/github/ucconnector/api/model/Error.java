// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * UltraCart model {@code Error}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Error(
        /** A technical message meant to be read by a developer */
        @JsonProperty("developer_message") String developerMessage,
        /** HTTP status code */
        @JsonProperty("error_code") String errorCode,
        /** Additional information often a link to additional documentation */
        @JsonProperty("more_info") String moreInfo,
        /** Object id that the error is associated with */
        @JsonProperty("object_id") String objectId,
        /** An end-user friendly message suitable for display to the customer */
        @JsonProperty("user_message") String userMessage) {
}
