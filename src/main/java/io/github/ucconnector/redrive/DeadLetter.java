package io.github.ucconnector.redrive;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import io.github.ucconnector.api.FailureCategory;
import io.github.ucconnector.command.CommandType;
import io.github.ucconnector.kafka.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record of the dead-letter topic, read by its headers (see {@link DeadLetters}): the failed command's original
 * record and why it failed.
 *
 * @param position where it is on the dead-letter topic, {@code <topic>/<partition>/<offset>}
 */
public record DeadLetter(ConsumerRecord<byte[], byte[]> record, String position) {

    public static DeadLetter of(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetter(record, record.topic() + "/" + record.partition() + "/" + record.offset());
    }

    /** When it was dead-lettered. */
    public Instant timestamp() {
        return Instant.ofEpochMilli(record.timestamp());
    }

    /** The command topic it was read from, where a redrive sends it back. */
    public Optional<String> originalTopic() {
        return header(DeadLetters.ORIGINAL_TOPIC);
    }

    public Optional<FailureCategory> category() {
        return header(DeadLetters.CATEGORY).flatMap(id -> Arrays.stream(FailureCategory.values())
                .filter(category -> category.id().equals(id)).findFirst());
    }

    public Optional<CommandType> commandType() {
        return header(DeadLetters.COMMAND_TYPE).flatMap(id -> Arrays.stream(CommandType.values())
                .filter(type -> type.id().equals(id)).findFirst());
    }

    public Optional<Integer> httpStatus() {
        return header(DeadLetters.HTTP_STATUS).flatMap(DeadLetter::number);
    }

    public Optional<String> commandId() {
        return header(DeadLetters.COMMAND_ID);
    }

    /** How often the command was redriven before it came here. */
    public int redriveCount() {
        return header(RedriveHeaders.COUNT).flatMap(DeadLetter::number).orElse(0);
    }

    /**
     * A start whose failed call may have done its work at UltraCart, so that its ledger entry stays pending and a
     * further call may start a second conversation: the cases {@code FailureClassifier.mayHaveActed} does not rule
     * out, told by category and status. A gateway's 502, 503 or 504 never reached UltraCart.
     */
    public boolean isStartWithUnknownOutcome() {
        if (commandType().filter(CommandType.START::equals).isEmpty()) {
            return false;
        }
        return category().map(category -> switch (category) {
            case UNKNOWN_OUTCOME, TIMEOUT, INVALID_RESPONSE, INTERNAL_ERROR -> true;
            case SERVER_ERROR -> httpStatus().filter(status -> status == 502 || status == 503 || status == 504)
                    .isEmpty();
            default -> false;
        }).orElse(true);
    }

    private Optional<String> header(String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    private static Optional<Integer> number(String text) {
        try {
            return Optional.of(Integer.parseInt(text.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
