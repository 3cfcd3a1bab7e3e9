package dev.tokenwatch.persistence.file;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.tokenwatch.domain.architecture.ArchitectureRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared architecture rules applied to this adapter's production classes. Written as plain
 * JUnit tests that call {@code check}: under this build's Surefire setup, {@code @AnalyzeClasses}
 * / {@code @ArchTest} fields were discovered as zero tests (a deliberately broken rule passed).
 */
class FileStoreArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = ArchitectureRules.importProductionClasses("dev.tokenwatch.persistence.file");
  }

  @Test
  void adapterIsIsolated() {
    ArchitectureRules.adapterIsIsolated("dev.tokenwatch.persistence.file..").check(classes);
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
