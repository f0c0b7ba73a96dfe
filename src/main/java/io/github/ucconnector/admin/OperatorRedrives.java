package io.github.ucconnector.admin;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.ucconnector.redrive.DeadLetterRedrive;
import io.github.ucconnector.redrive.RedriveReport;
import io.github.ucconnector.redrive.RedriveRequest;
import org.apache.camel.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code POST /admin/redrive}: sends dead letters back to their command topics (see {@link DeadLetterRedrive}). */
public final class OperatorRedrives {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorRedrives.class);

    private final DeadLetterRedrive redrive;
    private final Clock clock;

    public OperatorRedrives(DeadLetterRedrive redrive, Clock clock) {
        this.redrive = redrive;
        this.clock = clock;
    }

    /**
     * @param request the HTTP request's headers, among them its query parameters ({@link RedriveRequest#PARAMETERS})
     * @throws IllegalArgumentException for parameters that name nothing (400)
     * @throws IllegalStateException    when Kafka failed meanwhile (409): running it again sends the rest
     */
    public synchronized RedriveReport redrive(@Headers Map<String, Object> request) throws InterruptedException {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String name : RedriveRequest.PARAMETERS) {
            if (request.get(name) != null) {
                parameters.put(name, request.get(name).toString());
            }
        }
        RedriveReport report = redrive.run(RedriveRequest.of(parameters, clock));
        LOG.info("Operator redrive{}: {}", parameters.isEmpty() ? "" : parameters.entrySet().stream()
                .map(parameter -> parameter.getValue().isEmpty() ? parameter.getKey()
                        : parameter.getKey() + "=" + parameter.getValue())
                .collect(Collectors.joining(" ", " ", "")), report.summary());
        return report;
    }
}
