package dev.tokenwatch.config;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tokenwatch.domain.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The module is plain Java and its public API is the model and the loader; the readers stay inside. */
class ConfigArchitectureTest {

  private static final JavaClasses CLASSES = ArchitectureRules.importProductionClasses("dev.tokenwatch.config");

  @Test
  void dependsOnTheJdkTheDomainAndTheYamlParserOnly() {
    ArchitectureRules.CONFIG_IS_PLAIN.check(CLASSES);
    ArchitectureRules.ONLY_APP_USES_GUICE.check(CLASSES);
    ArchitectureRules.ONLY_APP_USES_LOG4J_CORE.check(CLASSES);
  }

  @Test
  void theSectionReadersAndTheYamlNodesArePackagePrivate() {
    classes().that().haveSimpleNameEndingWith("Section").or().haveSimpleNameStartingWith("Yaml")
        .or().haveSimpleName("ConfigNodes").or().haveSimpleName("Variables").or().haveSimpleName("ConfigFiles")
        .should().notBePublic().check(CLASSES);
  }
}
