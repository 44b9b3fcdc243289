package io.segmenter.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of segmenter, enforced on the compiled classes (the same idea as Kafka's
 * checkstyle/import-control.xml): the pure logic has no Kafka in it, the settings know nothing of
 * the topology, and no two packages depend on each other in a cycle.
 */
class LayeringTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.segmenter");
  }

  @Test
  void theModelTheProfileThePredictiveModelsTheEvaluatorAndTheExplanationsAreFreeOfKafka() {
    noClasses().that().resideInAnyPackage("io.segmenter.model..", "io.segmenter.profile..", "io.segmenter.clv..",
            "io.segmenter.evaluation..", "io.segmenter.explain..", "io.segmenter.replay..", "io.segmenter.privacy..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
        .because("the pure logic must be readable and testable without a broker")
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
  void noPackagesDependOnEachOtherInACycle() {
    slices().matching("io.segmenter.(*)..").should().beFreeOfCycles().check(classes);
  }
}
