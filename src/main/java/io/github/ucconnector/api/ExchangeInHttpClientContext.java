package io.github.ucconnector.api;

import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpActivityListener;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Lets the HTTP client see the exchange whose call it makes, so that it meters the call by the operation the
 * request was made for ({@link ApiRequest#operationOf(HttpContext)}): camel-http puts the exchange in each call's
 * own {@link HttpContext} only while an activity listener is set. Listening itself is left to the meters.
 */
public final class ExchangeInHttpClientContext implements HttpActivityListener {

    @Override
    public void onRequestSubmitted(Object source, Exchange exchange, HttpHost host, HttpRequest request,
            HttpEntity entity) {
        // Nothing to add: the exchange is in the context by now.
    }

    @Override
    public void onResponseReceived(Object source, Exchange exchange, HttpHost host, HttpResponse response,
            HttpEntity entity, long elapsed) {
        // The call is metered inside the client, where a call that gets no answer is seen too.
    }
}
