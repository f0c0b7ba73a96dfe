// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * UltraCart model {@code Warning}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Warning(
        /** Additional information often a link to additional documentation */
        @JsonProperty("more_info") String moreInfo,
        /** A stable machine-readable code identifying the warning; newer than the spec file (SDK 4.1.85). */
        @JsonProperty("warning_code") String warningCode,
        /** A technical message meant to be read by a developer */
        @JsonProperty("warning_message") String warningMessage) {
}
