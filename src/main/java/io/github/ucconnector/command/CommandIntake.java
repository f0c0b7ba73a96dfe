package io.github.ucconnector.command;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;

/** First step of the command route: remembers the record, finds the command type and reads the command. */
public final class CommandIntake {

    private final Map<String, CommandType> typesByTopic;
    private final CommandReader reader;

    public CommandIntake(Map<String, CommandType> typesByTopic, CommandReader reader) {
        this.typesByTopic = Map.copyOf(typesByTopic);
        this.reader = reader;
    }

    public void receive(Exchange exchange) {
        ReceivedRecord record = ReceivedRecord.of(exchange.getMessage());
        exchange.setProperty(CommandExchange.RECEIVED_RECORD, record);
        exchange.setProperty(CommandExchange.OFFSET_COMMIT, exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT));
        exchange.setProperty(CommandExchange.ENDS_PARTITION_POLL,
                exchange.getMessage().getHeader(KafkaConstants.LAST_RECORD_BEFORE_COMMIT, Boolean.class));
        CommandType type = typesByTopic.get(record.topic());
        if (type == null) {
            throw new IllegalStateException("no command type is configured for topic " + record.topic());
        }
        exchange.setProperty(CommandExchange.COMMAND_TYPE, type);
        String fallbackId = record.fallbackCommandId(reader::isCommandId);
        exchange.setProperty(CommandExchange.COMMAND_ID, fallbackId);
        Command command;
        try {
            command = reader.read(type, record.value(), fallbackId);
        } catch (CommandRejectedException rejected) {
            // The sender waits for the outcome of its own id, whatever else is wrong with the command.
            reader.declaredCommandId(record.value())
                    .ifPresent(id -> exchange.setProperty(CommandExchange.COMMAND_ID, id));
            throw rejected;
        }
        exchange.setProperty(CommandExchange.COMMAND_ID, command.commandId());
        exchange.setProperty(CommandExchange.COMMAND, command);
    }
}
