package io.tapeflow.security;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Nothing the service reads (model imports, checkpoints, requests) may become a Java object by class name: no Java
 * serialization, no Jackson default typing or class-named type ids. Checkpoints are a versioned binary layout of
 * floats, model documents plain records. The hostile documents themselves are sent in {@code HostileRequestsTests}.
 */
class NoJavaDeserializationTests {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tapeflow");

    @Test
    void noJavaSerialization() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectOutputStream")
                .check(MAIN);
    }

    @Test
    void noPolymorphicTypingByClassName() {
        noClasses().should().callMethodWhere(JavaCall.Predicates.target(DescribedPredicate.describe(
                "Jackson default typing", target -> target.getName().contains("DefaultTyping")))).check(MAIN);
    }
}
