package io.github.ucconnector.redrive;

import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.kafka.KafkaClientSecurity;
import org.apache.kafka.common.KafkaException;

/**
 * {@code java -jar ultracart-conversation-connector.jar redrive [--category ...] [--dry-run] ...}: a redrive from
 * the command line, with the connector's Kafka settings; prints the report as JSON.
 */
public final class RedriveCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_ARGUMENTS = 2;

    private static final String USAGE = "usage: redrive [--category <ids>] [--type <ids>] [--status <codes>]"
            + " [--since <instant|duration>] [--until <instant|duration>] [--dry-run] [--include-unknown-starts]"
            + " [--limit <n>]";

    private RedriveCommand() {
    }

    /** @return the exit code: {@link #OK}, {@link #FAILED} (Kafka failed; run it again) or {@link #BAD_ARGUMENTS} */
    public static int run(ConnectorSettings settings, List<String> arguments, PrintStream out, PrintStream err)
            throws InterruptedException {
        RedriveRequest request;
        try {
            request = RedriveRequest.of(RedriveRequest.parametersOf(arguments), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return BAD_ARGUMENTS;
        }
        // Without a cluster configured the connector runs its embedded broker: the redrive goes to that one.
        String bootstrapServers = settings.usesEmbeddedKafka()
                ? "localhost:" + settings.get(Setting.EMBEDDED_KAFKA_PORT)
                : settings.get(Setting.KAFKA_BOOTSTRAP_SERVERS);
        Map<String, Object> kafka = KafkaClientSecurity.from(settings).clientConfig(bootstrapServers);
        try {
            RedriveReport report = DeadLetterRedrive.of(settings, kafka).run(request);
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(report));
            err.println(report.summary());
            return OK;
        } catch (IllegalStateException | KafkaException e) {
            err.println("Redrive failed: " + e.getMessage());
            return FAILED;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report is always JSON", e);
        }
    }
}
