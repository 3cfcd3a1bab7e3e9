package dev.tokenwatch.domain.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/** Checks the domain's main classes against the architecture rules, and that the rules can fail. */
class DomainArchitectureTest {

  private static final JavaClasses DOMAIN = ArchitectureRules.importProductionClasses("dev.tokenwatch.domain");

  @Test
  void domainDependsOnJdkAndLog4jApiOnly() {
    ArchitectureRules.DOMAIN_IS_PURE.check(DOMAIN);
  }

  @Test
  void portsAreInterfaces() {
    ArchitectureRules.PORTS_ARE_INTERFACES.check(DOMAIN);
  }

  @Test
  void domainKnowsNoAdapter() {
    ArchitectureRules.DOMAIN_KNOWS_NO_ADAPTER.check(DOMAIN);
  }

  @Test
  void domainUsesNeitherGuiceNorLog4jCore() {
    ArchitectureRules.ONLY_APP_USES_GUICE.check(DOMAIN);
    ArchitectureRules.ONLY_APP_USES_LOG4J_CORE.check(DOMAIN);
  }

  @Test
  void purityRuleCatchesAFrameworkDependency() {
    // This test class itself lives in the domain package and uses ArchUnit and JUnit.
    JavaClasses withTests = new ClassFileImporter().importClasses(DomainArchitectureTest.class);
    assertThatThrownBy(() -> ArchitectureRules.DOMAIN_IS_PURE.check(withTests))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("com.tngtech.archunit");
  }
}
