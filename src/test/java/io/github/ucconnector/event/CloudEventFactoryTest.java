package io.github.ucconnector.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CloudEventFactoryTest {

    /** Consumers drop duplicates by ce_id, so the ids of earlier releases must not change. */
    @ParameterizedTest
    @ValueSource(strings = {"outcome/cmd-1", "reply/cmd-1", "change/closed/6f1d-4c1b/42", "outcome/ünïcödé", ""})
    void idsAreTheVersion3UuidsOfTheirNames(String name) {
        String expected = UUID.nameUUIDFromBytes(("ultracart-conversation-connector/" + name)
                .getBytes(StandardCharsets.UTF_8)).toString();

        assertThat(CloudEventFactory.nameBasedId(name)).isEqualTo(expected);
        assertThat(CloudEventFactory.nameBasedId(name)).as("the same name again").isEqualTo(expected);
    }
}
