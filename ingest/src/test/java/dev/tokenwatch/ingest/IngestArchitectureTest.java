package dev.tokenwatch.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tokenwatch.domain.architecture.ArchitectureRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The domain's dependency rules applied to this module. Plain JUnit tests calling {@code check}, so
 * they run (and can fail) under Surefire whether or not the ArchUnit engine is picked up.
 */
class IngestArchitectureTest {

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = ArchitectureRules.importProductionClasses("dev.tokenwatch");
    assertThat(classes.contain(Ingestor.class)).isTrue();
  }

  @Test
  void isolatedFromOtherAdaptersAndTheApp() {
    ArchitectureRules.adapterIsIsolated("dev.tokenwatch.ingest..").check(classes);
  }

  @Test
  void usesNoGuice() {
    ArchitectureRules.ONLY_APP_USES_GUICE.check(classes);
  }

  @Test
  void usesNoLog4jCore() {
    ArchitectureRules.ONLY_APP_USES_LOG4J_CORE.check(classes);
  }

  @Test
  void theDomainDoesNotKnowIngest() {
    noClasses().that().resideInAPackage(ArchitectureRules.DOMAIN)
        .should().dependOnClassesThat().resideInAPackage("dev.tokenwatch.ingest..").check(classes);
  }
}
