package io.github.ucconnector.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The security part of the configuration of every Kafka client the connector creates (the Camel consumers and
 * producers, the admin clients, the ledger, the poller lease and the summaries reader), built from the
 * {@code kafka.security.*}, {@code kafka.sasl.*} and {@code kafka.ssl.*} settings, which
 * {@link ConnectorSettings} has validated. The values stay in Java maps: they never become Camel property
 * placeholders or endpoint URIs, where secrets could be logged.
 */
public final class KafkaClientSecurity {

    /** Kafka's OIDC client-credentials login handler (KIP-768). */
    static final String OIDC_LOGIN_CALLBACK_HANDLER =
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler";

    private final Map<String, Object> properties;

    private KafkaClientSecurity(Map<String, Object> properties) {
        this.properties = Map.copyOf(properties);
    }

    public static KafkaClientSecurity from(ConnectorSettings settings) {
        Map<String, Object> props = new LinkedHashMap<>();
        String protocol = settings.get(Setting.KAFKA_SECURITY_PROTOCOL);
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (protocol.startsWith("SASL_")) {
            String mechanism = settings.get(Setting.KAFKA_SASL_MECHANISM);
            props.put(SaslConfigs.SASL_MECHANISM, mechanism);
            props.put(SaslConfigs.SASL_JAAS_CONFIG, settings.isSet(Setting.KAFKA_SASL_JAAS_CONFIG)
                    ? settings.get(Setting.KAFKA_SASL_JAAS_CONFIG)
                    : jaasConfig(mechanism, settings.get(Setting.KAFKA_SASL_USERNAME),
                            settings.get(Setting.KAFKA_SASL_PASSWORD)));
            if (settings.isSet(Setting.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL)) {
                props.put(SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL,
                        settings.get(Setting.KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL));
                props.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS, OIDC_LOGIN_CALLBACK_HANDLER);
            }
            if (settings.isSet(Setting.KAFKA_SASL_LOGIN_CALLBACK_HANDLER_CLASS)) {
                props.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS,
                        settings.get(Setting.KAFKA_SASL_LOGIN_CALLBACK_HANDLER_CLASS));
            }
        }
        if (protocol.endsWith("SSL")) {
            putIfSet(props, settings, Setting.KAFKA_SSL_TRUSTSTORE_LOCATION, SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
            putIfSet(props, settings, Setting.KAFKA_SSL_TRUSTSTORE_PASSWORD, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
            putIfSet(props, settings, Setting.KAFKA_SSL_TRUSTSTORE_TYPE, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
            putIfSet(props, settings, Setting.KAFKA_SSL_KEYSTORE_LOCATION, SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG);
            putIfSet(props, settings, Setting.KAFKA_SSL_KEYSTORE_PASSWORD, SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG);
            putIfSet(props, settings, Setting.KAFKA_SSL_KEYSTORE_TYPE, SslConfigs.SSL_KEYSTORE_TYPE_CONFIG);
            putIfSet(props, settings, Setting.KAFKA_SSL_KEY_PASSWORD, SslConfigs.SSL_KEY_PASSWORD_CONFIG);
            // Kafka turns hostname verification off with an empty algorithm; "none" is how a setting says empty.
            String algorithm = settings.get(Setting.KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM);
            props.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "none".equals(algorithm) ? "" : algorithm);
        }
        return new KafkaClientSecurity(props);
    }

    /**
     * The JAAS line for a user name and password: PLAIN and SCRAM log in with them, OAUTHBEARER uses them as the
     * OAuth client id and secret of the client-credentials grant.
     */
    static String jaasConfig(String mechanism, String username, String password) {
        String module = switch (mechanism) {
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule required username=";
            case "OAUTHBEARER" -> "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId=";
            default -> "org.apache.kafka.common.security.scram.ScramLoginModule required username=";
        };
        String secretName = "OAUTHBEARER".equals(mechanism) ? " clientSecret=" : " password=";
        return module + quoted(username) + secretName + quoted(password) + ";";
    }

    /** Bootstrap servers and security: what every client of the connector is created with. */
    public Map<String, Object> clientConfig(String bootstrapServers) {
        Map<String, Object> config = new LinkedHashMap<>(properties);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Map.copyOf(config);
    }

    /**
     * Gives the Camel kafka component (every consumer and producer of the routes) these properties. Camel applies
     * additional properties after its own options, so they win over the component's defaults.
     */
    public void applyTo(KafkaComponent component) {
        Map<String, Object> additional = new LinkedHashMap<>(component.getConfiguration().getAdditionalProperties());
        additional.putAll(properties);
        component.getConfiguration().setAdditionalProperties(additional);
    }

    private static void putIfSet(Map<String, Object> props, ConnectorSettings settings, Setting setting, String key) {
        if (settings.isSet(setting)) {
            props.put(key, settings.get(setting));
        }
    }

    /** A JAAS option value: double quotes and backslashes escaped, as Kafka's JAAS parser reads them. */
    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Names the protocol only: the properties hold secrets. */
    @Override
    public String toString() {
        return "KafkaClientSecurity[" + properties.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) + "]";
    }
}
