package io.github.ucconnector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.sandbox.SandboxOptions;
import org.junit.jupiter.api.Test;

/** SANDBOX_PORT and SANDBOX_BIND_ADDRESS reach the sandbox the launcher starts. */
class SandboxSettingsTest {

    @Test
    void byDefaultTheSandboxListensOnLoopbackPort8089() {
        SandboxOptions options = Launcher.sandboxOptions(ConnectorSettings.resolve(setting -> null));
        assertThat(options).isEqualTo(SandboxOptions.defaults(8089));
        assertThat(options.bindAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void theBindAddressAndPortComeFromTheSettings() {
        Map<Setting, String> values = Map.of(Setting.SANDBOX_BIND_ADDRESS, "0.0.0.0", Setting.SANDBOX_PORT, "18089");
        SandboxOptions options = Launcher.sandboxOptions(ConnectorSettings.resolve(values::get));
        assertThat(options).isEqualTo(SandboxOptions.defaults(18089).withBindAddress("0.0.0.0"));
    }

    @Test
    void theEnvironmentVariableIsSandboxBindAddress() {
        assertThat(Setting.SANDBOX_BIND_ADDRESS.environmentVariable()).isEqualTo("SANDBOX_BIND_ADDRESS");
        assertThat(Setting.SANDBOX_BIND_ADDRESS.defaultValue()).isEqualTo(SandboxOptions.DEFAULT_BIND_ADDRESS);
    }

    @Test
    void anAddressWithSpacesOrSlashesStopsTheStart() {
        for (String address : new String[] {"0.0.0.0 8089", "http://0.0.0.0", "a;b"}) {
            assertThatThrownBy(() -> ConnectorSettings.resolve(
                    setting -> setting == Setting.SANDBOX_BIND_ADDRESS ? address : null))
                    .as(address).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sandbox.bind-address");
        }
        for (String address : new String[] {"0.0.0.0", "::", "[::1]", "sandbox", "10.1.2.3"}) {
            assertThat(ConnectorSettings.resolve(setting -> setting == Setting.SANDBOX_BIND_ADDRESS ? address : null)
                    .get(Setting.SANDBOX_BIND_ADDRESS)).isEqualTo(address);
        }
    }
}
