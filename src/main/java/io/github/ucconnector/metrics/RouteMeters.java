package io.github.ucconnector.metrics;

import java.util.Objects;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * Camel's route meters ({@code camel_exchanges_*}) for the routes that begin a flow (from Kafka, from a timer), not
 * for the {@code direct:} routes they call: those run inside their caller's exchange and time, and four routes' meters
 * per command cost several percent of the connector's CPU. camel-main has no setting for the route policy's exclude
 * pattern, so it is set on the factory camel-main made (on its shared default configuration, which camel-main sets
 * the same way), before the routes start.
 */
public final class RouteMeters {

    private RouteMeters() {
    }

    public static void onlyForFlowStarts(CamelContext context) {
        String calledRoutes = context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()
                .stream().filter(route -> route.getInput().getEndpointUri().startsWith("direct:"))
                .map(RouteDefinition::getRouteId).filter(Objects::nonNull).collect(Collectors.joining(","));
        context.getRoutePolicyFactories().stream().filter(MicrometerRoutePolicyFactory.class::isInstance)
                .map(MicrometerRoutePolicyFactory.class::cast)
                .forEach(factory -> factory.getPolicyConfiguration().setExcludePattern(calledRoutes));
    }
}
