package io.github.ucconnector.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Reads an HTTP answer's body with an upper bound, so a huge answer is a classified failure, not a crash. */
public final class ResponseBodies {

    private ResponseBodies() {
    }

    /**
     * @return the body as UTF-8 text, empty when there is none
     * @throws UltraCartApiException ({@link FailureCategory#INVALID_RESPONSE}) when it is larger than the bound
     */
    public static String read(Message message, int maxBytes) throws IOException {
        Object raw = message.getBody();
        if (raw == null) {
            return "";
        }
        // camel-http hands over bytes or a stream; anything else goes through Camel's type converters (a lookup).
        if (raw instanceof byte[] bytes) {
            return text(message, bytes, maxBytes);
        }
        try (InputStream body = raw instanceof InputStream stream ? stream : message.getBody(InputStream.class)) {
            return text(message, body == null ? new byte[0] : body.readNBytes(maxBytes + 1), maxBytes);
        }
    }

    private static String text(Message message, byte[] bytes, int maxBytes) {
        if (bytes.length > maxBytes) {
            throw new UltraCartApiException(FailureCategory.INVALID_RESPONSE,
                    message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class), null, null,
                    "the answer is larger than " + maxBytes + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
