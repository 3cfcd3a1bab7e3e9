package dev.tokenwatch.domain.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The dependency rules every adapter module checks on its own production classes: it depends on
 * the domain only (no other adapter, not the application), and neither on Guice nor on Log4j2
 * core. A module extends this class and names its package. Plain JUnit tests calling {@code check}:
 * ArchUnit's {@code @ArchTest} fields are not run by this build's Surefire.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AdapterArchitectureContract {

  private JavaClasses classes;

  /** The adapter's root package, e.g. {@code dev.tokenwatch.persistence.file}. */
  protected abstract String adapterPackage();

  @BeforeAll
  void importClasses() {
    classes = ArchitectureRules.importProductionClasses(adapterPackage());
    if (classes.isEmpty()) {
      throw new IllegalStateException("no production classes found in " + adapterPackage());
    }
  }

  @Test
  void dependsOnTheDomainOnly() {
    ArchitectureRules.adapterIsIsolated(adapterPackage() + "..").check(classes);
  }

  @Test
  void usesNoGuice() {
    ArchitectureRules.ONLY_APP_USES_GUICE.check(classes);
  }

  @Test
  void logsThroughTheLog4jApiOnly() {
    ArchitectureRules.ONLY_APP_USES_LOG4J_CORE.check(classes);
  }
}
