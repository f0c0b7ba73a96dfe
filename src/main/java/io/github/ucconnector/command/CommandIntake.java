package io.github.ucconnector.command;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;

/** First steps of the command route: start the command's {@link CommandFlow} from the record, read the command. */
public final class CommandIntake {

    private final Map<String, CommandType> typesByTopic;
    private final CommandReader reader;

    public CommandIntake(Map<String, CommandType> typesByTopic, CommandReader reader) {
        this.typesByTopic = Map.copyOf(typesByTopic);
        this.reader = reader;
    }

    /** Route step: starts the command's flow from what the Kafka record's headers tell. */
    public void receive(Exchange exchange) {
        Message message = exchange.getMessage();
        ReceivedRecord record = ReceivedRecord.of(message);
        CommandType type = typesByTopic.get(record.topic());
        if (type == null) {
            throw new IllegalStateException("no command type is configured for topic " + record.topic());
        }
        CommandFlow flow = new CommandFlow(record, message.getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class),
                Boolean.TRUE.equals(message.getHeader(KafkaConstants.LAST_RECORD_BEFORE_COMMIT, Boolean.class)), type,
                record.fallbackCommandId(reader::isCommandId));
        exchange.setProperty(CommandFlow.PROPERTY, flow);
    }

    /**
     * Reads and validates the command of the flow's record.
     *
     * @throws CommandRejectedException when it is no valid command of its type
     */
    public void read(@ExchangeProperty(CommandFlow.PROPERTY) CommandFlow flow) {
        byte[] value = flow.record().value();
        try {
            flow.read(reader.read(flow.type(), value, flow.commandId()));
        } catch (CommandRejectedException rejected) {
            // The sender waits for the outcome of its own id, whatever else is wrong with the command.
            reader.declaredCommandId(value).ifPresent(flow::identifiedAs);
            // Its failed event goes to the conversation's partition, behind the conversation's other events.
            reader.declaredConversationUuid(flow.type(), value).ifPresent(flow::concerns);
            throw rejected;
        }
    }
}
