package io.github.ucconnector.wiring;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import io.github.ucconnector.admin.AdminErrors;
import io.github.ucconnector.admin.AdminToken;
import io.github.ucconnector.admin.CommandPauses;
import io.github.ucconnector.admin.OperatorPauses;
import io.github.ucconnector.admin.OperatorRedrives;
import io.github.ucconnector.api.ApiBudget;
import io.github.ucconnector.api.CredentialFile;
import io.github.ucconnector.config.ConnectorSettings;
import io.github.ucconnector.config.Setting;
import io.github.ucconnector.metrics.ConnectorMetrics;
import io.github.ucconnector.metrics.RouteMeters;
import io.github.ucconnector.polling.ActivePoller;
import io.github.ucconnector.redrive.DeadLetterRedrive;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.Registry;

/**
 * The management port: the connector's meters beside Camel's, and what the admin endpoints (routes/admin.yaml) act
 * on. The admin routes start only with a token to check; the beans are bound without one too, for the readiness
 * check (UP while nothing is paused) and the route steps that name them.
 */
final class ManagementWiring extends MainListenerSupport implements CamelConfiguration {

    private final ConnectorSettings settings;
    private final PrometheusMeterRegistry registry;
    private final OperatorPauses operatorPauses;
    private final OperatorRedrives operatorRedrives;

    /** @param registry the registry of {@code metrics}, served on the management port */
    ManagementWiring(ConnectorSettings settings, PrometheusMeterRegistry registry, ConnectorMetrics metrics,
            CommandPauses commandPauses, ActivePoller activePoller, ApiBudget budget, Map<String, Object> kafka) {
        this.settings = settings;
        this.registry = registry;
        this.operatorPauses = new OperatorPauses(commandPauses, activePoller, budget, metrics);
        this.operatorRedrives = new OperatorRedrives(DeadLetterRedrive.of(settings, kafka), Clock.systemUTC());
    }

    /**
     * camel-micrometer-prometheus serves the registry bound under this name, so the connector's meters and Camel's
     * own are scraped together on the management port. It looks for it before the configurations run.
     */
    void bindMeterRegistry(Main main) {
        main.bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
    }

    @Override
    public void configure(CamelContext context) {
        Registry beans = context.getRegistry();
        beans.bind("operatorPauses", operatorPauses);
        beans.bind("operatorRedrives", operatorRedrives);
        beans.bind("adminErrors", new AdminErrors());
        beans.bind("adminToken", adminToken());
        HealthCheckRegistry.get(context).register(operatorPauses.readinessCheck());
    }

    /** Once the routes are known: only the routes a flow starts with are timed. */
    @Override
    public void afterConfigure(BaseMainSupport configured) {
        RouteMeters.onlyForFlowStarts(configured.getCamelContext());
    }

    private AdminToken adminToken() {
        if (!settings.adminEndpointsEnabled()) {
            return AdminToken.none();
        }
        if (settings.isSet(Setting.MANAGEMENT_ADMIN_TOKEN_FILE)) {
            return new AdminToken(CredentialFile.open(Path.of(settings.get(Setting.MANAGEMENT_ADMIN_TOKEN_FILE)),
                    "admin token", "admin requests need the new one from now on"));
        }
        String token = settings.get(Setting.MANAGEMENT_ADMIN_TOKEN);
        return new AdminToken(() -> token);
    }
}
