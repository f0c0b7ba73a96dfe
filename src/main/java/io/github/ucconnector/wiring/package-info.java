/**
 * How the connector is put together, one class per area: commands, the API client and its budget, the ledger,
 * polling, and management. Each area is a camel-main {@link org.apache.camel.CamelConfiguration} that binds the
 * beans its routes name and registers its readiness checks; {@link io.github.ucconnector.ConnectorApplication} builds
 * the areas in the order they need each other. Nothing in the product depends on this package.
 */
package io.github.ucconnector.wiring;
