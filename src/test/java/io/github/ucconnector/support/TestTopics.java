package io.github.ucconnector.support;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ucconnector.config.Setting;

/** Topic names of a test's own, so that tests sharing a broker never read each other's records. */
public final class TestTopics {

    private TestTopics() {
    }

    /** Every topic setting, including any added later, with the prefix before its default name. */
    public static Map<Setting, String> prefixed(String prefix) {
        Map<Setting, String> topics = new LinkedHashMap<>();
        Arrays.stream(Setting.values())
                .filter(setting -> setting.property().startsWith("topic.")
                        && setting.defaultValue().startsWith("ultracart."))
                .forEach(setting -> topics.put(setting, prefix + setting.defaultValue()));
        return topics;
    }
}
