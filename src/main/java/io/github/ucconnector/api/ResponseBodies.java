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
        try (InputStream body = message.getBody(InputStream.class)) {
            if (body == null) {
                return "";
            }
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new UltraCartApiException(FailureCategory.INVALID_RESPONSE,
                        message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class), null, null,
                        "the answer is larger than " + maxBytes + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
