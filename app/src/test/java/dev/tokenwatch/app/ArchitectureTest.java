package dev.tokenwatch.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import dev.tokenwatch.domain.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules over every tokenwatch class on the application's classpath: the domain, each
 * adapter the application ships, and the application itself (test classes and test-jars excluded).
 */
class ArchitectureTest {

  /** Skips test classes in directories and in test-jars such as the domain's. */
  private static final ImportOption NO_TESTS = new ImportOption() {
    @Override
    public boolean includes(Location location) {
      return ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location) && !location.contains("-tests.jar");
    }
  };

  private static final JavaClasses ALL = new ClassFileImporter().withImportOption(NO_TESTS)
      .importPackages("dev.tokenwatch");

  @Test
  void domainIsPureAndKnowsNoAdapter() {
    ArchitectureRules.DOMAIN_IS_PURE.check(ALL);
    ArchitectureRules.DOMAIN_KNOWS_NO_ADAPTER.check(ALL);
  }

  @Test
  void onlyTheApplicationUsesGuiceAndLog4jCore() {
    ArchitectureRules.ONLY_APP_USES_GUICE.check(ALL);
    ArchitectureRules.ONLY_APP_USES_LOG4J_CORE.check(ALL);
  }
}
