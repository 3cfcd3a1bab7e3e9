package dev.tokenwatch.persistence.jdbc;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.tokenwatch.domain.architecture.ArchitectureRules;

@AnalyzeClasses(packages = "dev.tokenwatch.persistence.jdbc", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule isolated = ArchitectureRules.adapterIsIsolated("dev.tokenwatch.persistence.jdbc..");

  @ArchTest
  static final ArchRule noGuice = ArchitectureRules.ONLY_APP_USES_GUICE;

  @ArchTest
  static final ArchRule noLog4jCore = ArchitectureRules.ONLY_APP_USES_LOG4J_CORE;
}
