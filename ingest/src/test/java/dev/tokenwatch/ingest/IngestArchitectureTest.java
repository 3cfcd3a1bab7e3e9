package dev.tokenwatch.ingest;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.tokenwatch.domain.architecture.ArchitectureRules;

@AnalyzeClasses(packages = "dev.tokenwatch", importOptions = ImportOption.DoNotIncludeTests.class)
class IngestArchitectureTest {

  @ArchTest
  static final ArchRule isolatedFromOtherAdaptersAndTheApp = ArchitectureRules.adapterIsIsolated("dev.tokenwatch.ingest..");

  @ArchTest
  static final ArchRule noGuice = ArchitectureRules.ONLY_APP_USES_GUICE;

  @ArchTest
  static final ArchRule noLog4jCore = ArchitectureRules.ONLY_APP_USES_LOG4J_CORE;

  @ArchTest
  static final ArchRule domainDoesNotKnowIngest = noClasses().that().resideInAPackage(ArchitectureRules.DOMAIN)
      .should().dependOnClassesThat().resideInAPackage("dev.tokenwatch.ingest..");
}
