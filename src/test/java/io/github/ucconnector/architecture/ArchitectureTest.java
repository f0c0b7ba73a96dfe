package io.github.ucconnector.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/ARCHITECTURE.md: packages depend on each other without cycles, and the sandbox and the
 * embedded broker are tools the product ships beside the connector, reached only from the launcher.
 */
class ArchitectureTest {

    private static final String PRODUCT = "io.github.ucconnector";

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PRODUCT);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching(PRODUCT + ".(**)").should().beFreeOfCycles().check(product);
    }

    @Test
    void onlyTheLauncherStartsTheSandbox() {
        noClasses().that().resideOutsideOfPackage(PRODUCT + ".sandbox..")
                .and().doNotHaveFullyQualifiedName(PRODUCT + ".Launcher")
                .should().dependOnClassesThat().resideInAPackage(PRODUCT + ".sandbox..")
                .check(product);
    }

    @Test
    void onlyTheLauncherStartsTheEmbeddedBroker() {
        noClasses().that().resideOutsideOfPackage(PRODUCT + ".broker..")
                .and().doNotHaveFullyQualifiedName(PRODUCT + ".Launcher")
                .should().dependOnClassesThat().resideInAPackage(PRODUCT + ".broker..")
                .check(product);
    }

    @Test
    void theToolsDoNotDependOnTheConnector() {
        noClasses().that().resideInAnyPackage(PRODUCT + ".sandbox..", PRODUCT + ".broker..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        PRODUCT + ".command..", PRODUCT + ".ledger..", PRODUCT + ".polling..", PRODUCT + ".admin..",
                        PRODUCT + ".kafka..", PRODUCT + ".event..")
                .check(product);
    }
}
