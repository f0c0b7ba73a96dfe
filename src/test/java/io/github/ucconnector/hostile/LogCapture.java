package io.github.ucconnector.hostile;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything the connector writes while it is open: every log event that reaches the root logger (all of them, the
 * loggers are additive), formatted with its message, context data and stack trace, plus anything printed directly
 * to {@code System.out} or {@code System.err}.
 */
public final class LogCapture implements AutoCloseable {

    private final List<String> events = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final LoggerContext context;
    private final AbstractAppender appender;
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;

    private LogCapture() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().withConfiguration(configuration)
                .withPattern("%d{HH:mm:ss.SSS} %-5level [%t] %c %X %notEmpty{%marker }- %msg%n%throwable").build();
        appender = new AbstractAppender("hostile-log-capture-" + UUID.randomUUID(), (Filter) null, layout, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                String line = layout.toSerializable(event);
                synchronized (events) {
                    events.add(line);
                    messages.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        configuration.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
        System.setOut(new PrintStream(new Tee(originalOut, printed), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, printed), true, StandardCharsets.UTF_8));
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Every log event so far (one entry may span lines: a multi-line message or a stack trace). */
    public List<String> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The message of every log event so far, without the layout around it. */
    public List<String> messages() {
        synchronized (events) {
            return List.copyOf(messages);
        }
    }

    /** What was printed to System.out and System.err directly so far. */
    public String printed() {
        synchronized (printed) {
            return printed.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }

    /** Writes to the original stream and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream original;
        private final ByteArrayOutputStream copy;

        Tee(OutputStream original, ByteArrayOutputStream copy) {
            this.original = original;
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            try {
                original.write(b);
            } catch (java.io.IOException e) {
                // the original stream is not ours to fail
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (copy) {
                copy.write(bytes, offset, length);
            }
            try {
                original.write(bytes, offset, length);
            } catch (java.io.IOException e) {
                // the original stream is not ours to fail
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            original.flush();
        }
    }
}
