package io.github.ucconnector.api;

/**
 * What the API's HTTP clients report to the connector's meters. The metrics package implements it: it knows the API's
 * types for its tags, so the API side must not know the metrics package in turn.
 */
public interface ApiMeters {

    /**
     * One HTTP call to the API, timed from the request until the answer's head arrived.
     *
     * @param operation the operation the request was made for, or {@code null} for a request not made by one
     * @param status    the HTTP status, or {@code timeout} / {@code connection_error} when no answer came
     */
    void apiCall(ApiOperation operation, ApiBudget.Priority caller, String status, long nanos);
}
