// Generated from UltraCart's OpenAPI description (conversation-openapi.json); keep in step with the spec.
package io.github.ucconnector.api.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * UltraCart model {@code ResultSet}.
 * Every field is optional in the spec; unknown fields are ignored because UltraCart keeps adding them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResultSet(
        /** Number of results in this set */
        @JsonProperty("count") Integer count,
        /** Maximum number of results that can be returned in a set */
        @JsonProperty("limit") Integer limit,
        /** True if there are more results to query */
        @JsonProperty("more") Boolean more,
        /** The next offset that you should query to retrieve more results */
        @JsonProperty("next_offset") Integer nextOffset,
        /** Offset of this result set (zero based) */
        @JsonProperty("offset") Integer offset,
        /** The total number of records in the result set.  May be null if the number is not known and the client should continue iterating as long as more is true. */
        @JsonProperty("total_records") Integer totalRecords) {
}
