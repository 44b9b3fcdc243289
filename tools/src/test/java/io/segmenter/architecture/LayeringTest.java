package io.segmenter.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of segmenter, enforced on the compiled classes (the same idea as Kafka's
 * checkstyle/import-control.xml): the pure logic has no Kafka in it, access control no HTTP server,
 * the settings know nothing of the topology, and no two packages depend on each other in a cycle.
 * The modules' own dependencies (serde and core know no other module; the service knows no tool) are
 * enforced by Maven when it compiles them; these rules hold inside and across them. It runs in the
 * tools module, the one whose class path holds every module's classes.
 */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        // Other modules' test helpers arrive as test-jars, which the predefined option does not recognise.
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("io.segmenter");
  }

  @Test
  void theModelTheProfileThePredictiveModelsTheEvaluatorAndTheExplanationsAreFreeOfKafka() {
    noClasses().that().resideInAnyPackage("io.segmenter.model..", "io.segmenter.profile..", "io.segmenter.clv..",
            "io.segmenter.evaluation..", "io.segmenter.explain..", "io.segmenter.replay..", "io.segmenter.access..",
            "io.segmenter.map..", "io.segmenter.flows..", "io.segmenter.strategy..",
            "io.segmenter.privacy..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
        .because("the pure logic must be readable and testable without a broker")
        .check(classes);
  }

  @Test
  void accessControlIsBuiltOfTheJdkSlf4jAndJacksonOnly() {
    classes().that().resideInAPackage("io.segmenter.access..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.segmenter.access..", "java..", "javax..",
            "org.slf4j..", "com.fasterxml.jackson..")
        .because("who may do what is decided apart from the HTTP server (and its Jetty) and testable alone")
        .check(classes);
  }

  @Test
  void theSettingsDoNotKnowTheTopology() {
    noClasses().that().resideInAPackage("io.segmenter.config..")
        .should().dependOnClassesThat().resideInAnyPackage("io.segmenter.topology..", "io.segmenter.service..",
            "io.segmenter.ops..", "io.segmenter.cli..")
        .because("settings are read and validated in one place and handed to the rest as typed values")
        .check(classes);
  }

  @Test
  void theHttpHelpersKnowNeitherKafkaNorTheServiceAndOnlyOneClassKnowsJetty() {
    noClasses().that().resideInAPackage("io.segmenter.http..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "io.segmenter.config..",
            "io.segmenter.topology..", "io.segmenter.service..", "io.segmenter.ops..", "io.segmenter.cli..")
        .because("the URI and TLS helpers serve the operations server and the forwarding client, and are tested alone")
        .check(classes);
    noClasses().that().resideInAPackage("io.segmenter.http..").and().doNotHaveSimpleName("JettyTls")
        .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..")
        .because("the TLS material is plain JDK; JettyTls alone adapts it to the server")
        .check(classes);
  }

  @Test
  void theSerdeIsALibraryWithNothingOfSegmenterInIt() {
    classes().that().resideInAPackage("io.segmenter.serde..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("io.segmenter.serde..", "java..", "javax..",
            "org.apache.avro..", "org.apache.kafka..", "com.fasterxml.jackson..", "org.slf4j..")
        .because("any Kafka producer or consumer can use the serde and the registry client")
        .check(classes);
  }

  @Test
  void onlyTheLogEncoderKnowsLogback() {
    noClasses().that().resideOutsideOfPackage("io.segmenter.logging..")
        .should().dependOnClassesThat().resideInAnyPackage("ch.qos.logback..")
        .because("the code logs through SLF4J; the backend and its configuration can change without it")
        .check(classes);
  }

  @Test
  void noPackagesDependOnEachOtherInACycle() {
    slices().matching("io.segmenter.(*)..").should().beFreeOfCycles().check(classes);
  }
}
