package dev.tokenwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.architecture.ArchitectureRules;
import dev.tokenwatch.ingest.Ingestor;
import dev.tokenwatch.metrics.micrometer.TokenwatchMetrics;
import dev.tokenwatch.notifier.console.ConsoleAlertSink;
import dev.tokenwatch.notifier.slack.SlackAlertSink;
import dev.tokenwatch.persistence.file.FileUsageStore;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.net.URISyntaxException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules over every tokenwatch class on the application's classpath: the domain, each
 * adapter the application ships, and the application itself (test classes and test-jars excluded).
 */
class ArchitectureTest {

  /**
   * One class of each module the application ships; their jars or class directories are imported
   * whole (scanning the whole classpath for the package takes far longer).
   */
  private static final List<Class<?>> MODULE_ANCHORS = List.of(Main.class, TokenTracker.class, FileUsageStore.class,
      JdbcUsageStore.class, ConsoleAlertSink.class, SlackAlertSink.class, Ingestor.class, TokenwatchMetrics.class,
      AppConfig.class);

  private static final JavaClasses ALL = new ClassFileImporter().withImportOption(ArchitectureRules.PRODUCTION_CLASSES_ONLY)
      .importLocations(MODULE_ANCHORS.stream().map(ArchitectureTest::locationOf).collect(Collectors.toSet()));

  private static Location locationOf(Class<?> anchor) {
    try {
      return Location.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("no location for " + anchor, e);
    }
  }

  @Test
  void importedEveryModule() {
    for (Class<?> anchor : MODULE_ANCHORS) {
      assertThat(ALL.contain(anchor)).as(anchor.getName()).isTrue();
    }
  }

  @Test
  void domainIsPureAndKnowsNoAdapter() {
    ArchitectureRules.DOMAIN_IS_PURE.check(ALL);
    ArchitectureRules.DOMAIN_KNOWS_NO_ADAPTER.check(ALL);
  }

  @Test
  void adaptersDependOnNoOtherAdapterNorOnTheApplication() {
    ArchitectureRules.adapterIsIsolated("dev.tokenwatch.persistence.file..").check(ALL);
    ArchitectureRules.adapterIsIsolated("dev.tokenwatch.persistence.jdbc..").check(ALL);
    ArchitectureRules.adapterIsIsolated("dev.tokenwatch.notifier.console..").check(ALL);
    ArchitectureRules.adapterIsIsolated("dev.tokenwatch.notifier.slack..").check(ALL);
    ArchitectureRules.adapterIsIsolated("dev.tokenwatch.ingest..").check(ALL);
    ArchitectureRules.adapterIsIsolated("dev.tokenwatch.metrics.micrometer..").check(ALL);
  }

  @Test
  void theConfigurationModelIsPlainJava() {
    ArchitectureRules.CONFIG_IS_PLAIN.check(ALL);
  }

  @Test
  void onlyTheApplicationUsesGuiceAndLog4jCore() {
    ArchitectureRules.ONLY_APP_USES_GUICE.check(ALL);
    ArchitectureRules.ONLY_APP_USES_LOG4J_CORE.check(ALL);
  }

  /**
   * The application's parts: {@code Main} on top, the picocli commands ({@code cli}) below it, then
   * presentation ({@code view}) and assembly ({@code wiring}) side by side, which know neither each
   * other nor the commands; {@code env}, {@code audit} and {@code logging} at the bottom.
   */
  @Test
  void theApplicationsPartsAreLayeredWithoutCycles() {
    Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("main").definedBy("dev.tokenwatch.app")
        .layer("cli").definedBy("dev.tokenwatch.app.cli..")
        .layer("view").definedBy("dev.tokenwatch.app.view..")
        .layer("wiring").definedBy("dev.tokenwatch.app.wiring..")
        .layer("audit").definedBy("dev.tokenwatch.app.audit..")
        .layer("logging").definedBy("dev.tokenwatch.app.logging..")
        .layer("env").definedBy("dev.tokenwatch.app.env..")
        .whereLayer("main").mayNotBeAccessedByAnyLayer()
        .whereLayer("cli").mayOnlyBeAccessedByLayers("main")
        .whereLayer("view").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("wiring").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("audit").mayOnlyBeAccessedByLayers("cli", "wiring")
        .whereLayer("logging").mayOnlyBeAccessedByLayers("cli", "view", "wiring", "audit")
        .whereLayer("env").mayOnlyBeAccessedByLayers("main", "cli", "view", "wiring")
        .check(ALL);
    SlicesRuleDefinition.slices().matching("dev.tokenwatch.app.(*)..").should().beFreeOfCycles().check(ALL);
  }
}
