package dev.tokenwatch.config;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import dev.tokenwatch.domain.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The module is plain Java and its public API is the model and the loader; the readers stay inside. */
class ConfigArchitectureTest {

  /** The module's class directory only (scanning the class path for the package takes far longer). */
  private static final JavaClasses CLASSES = importModule();

  private static JavaClasses importModule() {
    try {
      return new ClassFileImporter().withImportOption(ArchitectureRules.PRODUCTION_CLASSES_ONLY)
          .importLocations(java.util.Set.of(Location.of(AppConfig.class.getProtectionDomain().getCodeSource()
              .getLocation().toURI())));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

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
