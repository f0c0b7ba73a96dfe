// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * UltraCart model {@code ConversationSentiment}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationSentiment(
        /** The last time the detect sentiment was run on this conversation UltraCart date/time text (format "dateTime"). */
        @JsonProperty("last_detect_sentiment") String lastDetectSentiment,
        /** The mixed score */
        @JsonProperty("mixed") BigDecimal mixed,
        /** The negative score */
        @JsonProperty("negative") BigDecimal negative,
        /** The neutral score */
        @JsonProperty("neutral") BigDecimal neutral,
        /** The positive score */
        @JsonProperty("positive") BigDecimal positive,
        /** The overall sentiment Values seen in the spec: "POSITIVE", "NEUTRAL", "NEGATIVE", "MIXED". */
        @JsonProperty("sentiment") String sentiment) {
}
