package io.github.ucconnector.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Where the sandbox listens: loopback by default, any address when asked (a container's 0.0.0.0). */
class SandboxBindAddressTest {

    @Test
    void existingConstructorsKeepTheLoopbackAddress() {
        assertThat(SandboxOptions.defaults(0).bindAddress()).isEqualTo("127.0.0.1");
        assertThat(new SandboxOptions(0, "key", null).bindAddress()).isEqualTo(SandboxOptions.DEFAULT_BIND_ADDRESS);
        SandboxOptions everywhere = SandboxOptions.defaults(8089).withBindAddress("0.0.0.0");
        assertThat(everywhere).isEqualTo(new SandboxOptions(8089, SandboxOptions.DEFAULT_API_KEY,
                SandboxOptions.DEFAULT_OAUTH_TOKEN, "0.0.0.0"));
        assertThat(everywhere.toString()).contains("bindAddress=0.0.0.0")
                .doesNotContain(SandboxOptions.DEFAULT_API_KEY, SandboxOptions.DEFAULT_OAUTH_TOKEN);
    }

    @Test
    void aBlankOrPaddedAddressIsRefused() {
        for (String address : new String[] {null, "", " ", " 0.0.0.0"}) {
            assertThatThrownBy(() -> SandboxOptions.defaults(0).withBindAddress(address))
                    .as("'" + address + "'").isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anUnknownHostStopsTheStart() {
        assertThatThrownBy(() -> UltraCartSandbox.start(SandboxOptions.defaults(0).withBindAddress("no-such-host.invalid")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void byDefaultOnlyLoopbackReachesTheSandbox() throws Exception {
        InetAddress external = nonLoopbackAddress().orElse(null);
        try (UltraCartSandbox sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0))) {
            assertThat(answers(sandbox.baseUrl())).isTrue();
            assumeThat(external).as("a non-loopback IPv4 address on this host").isNotNull();
            assertThat(accepts(external, sandbox.port())).isFalse();
        }
    }

    @Test
    void onTheWildcardAddressOtherInterfacesReachIt() throws Exception {
        try (UltraCartSandbox sandbox = UltraCartSandbox.start(SandboxOptions.defaults(0).withBindAddress("0.0.0.0"))) {
            assertThat(sandbox.baseUrl()).isEqualTo("http://localhost:" + sandbox.port() + "/rest/v2");
            assertThat(answers(sandbox.baseUrl())).isTrue();
            InetAddress external = nonLoopbackAddress().orElse(null);
            assumeThat(external).as("a non-loopback IPv4 address on this host").isNotNull();
            assertThat(accepts(external, sandbox.port())).isTrue();
            assertThat(answers("http://" + external.getHostAddress() + ":" + sandbox.port() + "/rest/v2")).isTrue();
        }
    }

    @Test
    void onOneOtherAddressItsUrlsNameThatAddress() throws Exception {
        InetAddress external = nonLoopbackAddress().orElse(null);
        assumeThat(external).as("a non-loopback IPv4 address on this host").isNotNull();
        try (UltraCartSandbox sandbox = UltraCartSandbox.start(
                SandboxOptions.defaults(0).withBindAddress(external.getHostAddress()))) {
            assertThat(sandbox.baseUrl()).isEqualTo("http://" + external.getHostAddress() + ":" + sandbox.port() + "/rest/v2");
            assertThat(answers(sandbox.baseUrl())).isTrue();
        }
    }

    /** Any HTTP answer from the API path (401 without a key is an answer). */
    private static boolean answers(String baseUrl) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/conversation/conversations"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 401;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean accepts(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress())
                .findFirst();
    }
}
