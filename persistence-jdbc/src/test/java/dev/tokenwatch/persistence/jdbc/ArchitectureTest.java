package dev.tokenwatch.persistence.jdbc;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tokenwatch.domain.architecture.ArchitectureRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared architecture rules on this adapter's main classes. Checked from plain Jupiter tests:
 * under surefire here the ArchUnit engine's {@code @ArchTest} fields ran but were reported as 0 tests.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = ArchitectureRules.importProductionClasses("dev.tokenwatch.persistence.jdbc");
  }

  @Test
  void adapterIsIsolated() {
    ArchitectureRules.adapterIsIsolated("dev.tokenwatch.persistence.jdbc..").check(classes);
  }

  @Test
  void usesNoGuice() {
    ArchitectureRules.ONLY_APP_USES_GUICE.check(classes);
  }

  @Test
  void usesNoLog4jCore() {
    ArchitectureRules.ONLY_APP_USES_LOG4J_CORE.check(classes);
  }
}
