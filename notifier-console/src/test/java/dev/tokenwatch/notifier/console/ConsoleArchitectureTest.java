package dev.tokenwatch.notifier.console;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import dev.tokenwatch.domain.architecture.ArchitectureRules;

/**
 * The adapter's dependency rules. Written as {@code @ArchTest} methods, not fields: Surefire 3.5.3
 * silently skips {@code @ArchTest} fields (SUREFIRE-2298, TNG/ArchUnit#1442), methods do run.
 */
@AnalyzeClasses(packages = "dev.tokenwatch.notifier.console", importOptions = ImportOption.DoNotIncludeTests.class)
class ConsoleArchitectureTest {

  @ArchTest
  void dependsOnTheDomainOnly(JavaClasses classes) {
    ArchitectureRules.adapterIsIsolated("dev.tokenwatch.notifier.console..").check(classes);
  }

  @ArchTest
  void usesNoGuice(JavaClasses classes) {
    ArchitectureRules.ONLY_APP_USES_GUICE.check(classes);
  }

  @ArchTest
  void logsThroughTheLog4jApiOnly(JavaClasses classes) {
    ArchitectureRules.ONLY_APP_USES_LOG4J_CORE.check(classes);
  }
}
