// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * UltraCart model {@code ConversationMultimediaUploadUrlResponse}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConversationMultimediaUploadUrlResponse(
        @JsonProperty("conversation_multimedia_upload_url") ConversationMultimediaUploadUrl conversationMultimediaUploadUrl,
        @JsonProperty("error") Error error,
        @JsonProperty("metadata") ResponseMetadata metadata,
        /** Indicates if API call was successful */
        @JsonProperty("success") Boolean success,
        @JsonProperty("warning") Warning warning) {
}
