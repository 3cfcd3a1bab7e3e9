package dev.tokenwatch.domain.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.tokenwatch.domain", importOptions = ImportOption.DoNotIncludeTests.class)
class DomainArchitectureTest {

  @ArchTest
  static final ArchRule domainIsPure = ArchitectureRules.DOMAIN_IS_PURE;

  @ArchTest
  static final ArchRule portsAreInterfaces = ArchitectureRules.PORTS_ARE_INTERFACES_OR_VALUES;

  @ArchTest
  static final ArchRule domainKnowsNoAdapter = ArchitectureRules.DOMAIN_KNOWS_NO_ADAPTER;

  @ArchTest
  static final ArchRule noGuice = ArchitectureRules.ONLY_APP_USES_GUICE;

  @ArchTest
  static final ArchRule noLog4jCore = ArchitectureRules.ONLY_APP_USES_LOG4J_CORE;
}
