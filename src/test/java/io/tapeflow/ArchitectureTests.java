package io.tapeflow;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The engine is a plain library: nothing in it may know about Spring or about the service around it. */
@AnalyzeClasses(packages = "io.tapeflow", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    @ArchTest
    static final ArchRule engineAndNnAreFreeOfSpringAndTheService = noClasses()
            .that().resideInAnyPackage("io.tapeflow.engine..", "io.tapeflow.nn..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "jakarta..", "io.tapeflow.datasets..", "io.tapeflow.training..",
                    "io.tapeflow.models..", "io.tapeflow.web..", "io.tapeflow.config..");

    @ArchTest
    static final ArchRule engineDoesNotDependOnNn = noClasses()
            .that().resideInAPackage("io.tapeflow.engine..")
            .should().dependOnClassesThat().resideInAPackage("io.tapeflow.nn..");
}
