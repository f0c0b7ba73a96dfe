package io.github.ucconnector.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports the process will listen on, tried before anything starts. A port in use must stop the start with a
 * clear reason: otherwise the embedded broker logs pages of errors and keeps the JVM alive, and camel-main's
 * management server only logs a warning and runs without health checks or metrics.
 */
public final class ListenPorts {

    /** The management server's host (camel.management.host's default): every interface. */
    private static final String ANY_INTERFACE = "0.0.0.0";
    /** The embedded broker's listeners are on localhost (broker.EmbeddedKafkaBroker). */
    private static final String BROKER_HOST = "localhost";

    private record Port(Setting setting, String host, int port) {
    }

    private final List<Port> ports = new ArrayList<>();

    private ListenPorts() {
    }

    /** The connector's: the management port, and the embedded broker's and sandbox's when they are started. */
    public static ListenPorts ofConnector(ConnectorSettings settings) {
        ListenPorts ports = ofTools(settings, settings.usesSandbox());
        if (settings.getBoolean(Setting.MANAGEMENT_ENABLED)) {
            ports.add(Setting.MANAGEMENT_PORT, ANY_INTERFACE, settings);
        }
        return ports;
    }

    /** The {@code sandbox} mode's: the embedded broker's (when it is started) and the sandbox's. */
    public static ListenPorts ofSandboxMode(ConnectorSettings settings) {
        return ofTools(settings, true);
    }

    private static ListenPorts ofTools(ConnectorSettings settings, boolean sandbox) {
        ListenPorts ports = new ListenPorts();
        if (settings.usesEmbeddedKafka()) {
            ports.add(Setting.EMBEDDED_KAFKA_PORT, BROKER_HOST, settings);
        }
        if (sandbox) {
            ports.add(Setting.SANDBOX_PORT, settings.get(Setting.SANDBOX_BIND_ADDRESS), settings);
        }
        return ports;
    }

    private void add(Setting setting, String host, ConnectorSettings settings) {
        int port = settings.getInt(setting);
        // Port 0 is any free port: nothing to check.
        if (port != 0) {
            ports.add(new Port(setting, host, port));
        }
    }

    /** @throws StartupRefusedException naming the setting when one of the ports cannot be bound */
    public void requireBindable() {
        for (Port port : ports) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(port.host(), port.port()));
            } catch (IOException e) {
                throw refused(port.setting(), port.host(), port.port(), e);
            }
        }
    }

    /** The refusal for a port that cannot be bound, also when it is found later than {@link #requireBindable}. */
    public static StartupRefusedException refused(Setting setting, String host, int port, Throwable why) {
        return StartupRefusedException.port("cannot listen on " + host + ":" + port + " (" + why.getMessage()
                + "): free the port or set " + setting.environmentVariable() + " to another (0: any free port)", why);
    }
}
