package io.github.ucconnector.event;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;

/** Makes every CloudEvent the connector publishes: one source, JSON data, and ids derived from names. */
public final class CloudEventFactory {

    static final String CORRELATION_ID = "correlationid";
    private static final String JSON = "application/json";
    /** One per thread: UUID.nameUUIDFromBytes looks MD5 up for every id, most of what an id costs. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    });

    private final URI source;
    private final ObjectMapper mapper;
    private final Clock clock;

    public CloudEventFactory(URI source, ObjectMapper mapper, Clock clock) {
        this.source = source;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * A UUID that depends only on the name: the same command or change always gets the same event id, so a
     * consumer can drop an event published again.
     */
    public static String nameBasedId(String name) {
        byte[] md5 = MD5.get().digest(("ultracart-conversation-connector/" + name).getBytes(StandardCharsets.UTF_8));
        // The same UUID as UUID.nameUUIDFromBytes: version 3, IETF variant.
        md5[6] = (byte) (md5[6] & 0x0f | 0x30);
        md5[8] = (byte) (md5[8] & 0x3f | 0x80);
        ByteBuffer bits = ByteBuffer.wrap(md5);
        return new UUID(bits.getLong(), bits.getLong()).toString();
    }

    /**
     * @param subject       the conversation uuid, or {@code null} when there is none
     * @param correlationId the command id ({@code ce_correlationid}), or {@code null} for events no command caused
     */
    public CloudEvent create(String id, String type, String subject, String correlationId, Object data) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(id)
                .withSource(source)
                .withType(type)
                .withTime(OffsetDateTime.now(clock))
                .withDataContentType(JSON)
                .withData(JSON, json(data));
        if (subject != null) {
            builder.withSubject(subject);
        }
        if (correlationId != null) {
            builder.withExtension(CORRELATION_ID, correlationId);
        }
        return builder.build();
    }

    private byte[] json(Object data) {
        try {
            return mapper.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write event data", e);
        }
    }
}
