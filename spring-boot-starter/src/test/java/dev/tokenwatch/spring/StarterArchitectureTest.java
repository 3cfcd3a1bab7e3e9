package dev.tokenwatch.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.architecture.ArchitectureRules;
import dev.tokenwatch.notifier.console.ConsoleAlertSink;
import dev.tokenwatch.notifier.slack.SlackAlertSink;
import dev.tokenwatch.persistence.file.FileUsageStore;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.net.URISyntaxException;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The starter is an assembly like the application: it may use the domain, the configuration model
 * and every adapter, but
 * not the application, Guice or Log4j2 core; only it uses Spring; and the rules of the domain and
 * the adapters hold on the classes it ships with.
 */
class StarterArchitectureTest {

  private static final String STARTER = "dev.tokenwatch.spring..";

  private static final List<Class<?>> MODULE_ANCHORS = List.of(TokenwatchAutoConfiguration.class, TokenTracker.class,
      FileUsageStore.class, JdbcUsageStore.class, ConsoleAlertSink.class, SlackAlertSink.class, AppConfig.class);

  private static final JavaClasses ALL = new ClassFileImporter()
      .withImportOption(ArchitectureRules.PRODUCTION_CLASSES_ONLY)
      .importLocations(MODULE_ANCHORS.stream().map(StarterArchitectureTest::locationOf).collect(Collectors.toSet()));

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
  void theStarterUsesNeitherTheApplicationNorGuiceNorLog4jCore() {
    noClasses().that().resideInAPackage(STARTER).should().dependOnClassesThat()
        .resideInAnyPackage(ArchitectureRules.APP).check(ALL);
    ArchitectureRules.ONLY_APP_USES_GUICE.check(ALL);
    ArchitectureRules.ONLY_APP_USES_LOG4J_CORE.check(ALL);
  }

  @Test
  void onlyTheStarterUsesSpring() {
    noClasses().that().resideOutsideOfPackage(STARTER).should().dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "reactor..").check(ALL);
  }

  @Test
  void theDomainAndAdapterRulesHoldOnWhatTheStarterShips() {
    ArchitectureRules.DOMAIN_IS_PURE.check(ALL);
    ArchitectureRules.DOMAIN_KNOWS_NO_ADAPTER.check(ALL);
    ArchitectureRules.CONFIG_IS_PLAIN.check(ALL);
    for (String adapter : ArchitectureRules.ADAPTERS) {
      // only the adapters the starter ships (the integrations are not on its class path)
      if (!adapter.startsWith("dev.tokenwatch.ingest") && ALL.containPackage(adapter.replace("..", ""))) {
        ArchitectureRules.adapterIsIsolated(adapter).check(ALL);
      }
    }
  }

  @Test
  void onlyTheAutoConfigurationsPropertiesAdvisorAndEstimatorArePublic() {
    classes().that().resideInAPackage(STARTER).and().arePublic().should()
        .haveNameMatching(".*\\.(Tokenwatch\\w*AutoConfiguration|Tokenwatch(Budget)?Properties(\\$\\w+)?|TokenwatchAdvisor|PromptEstimator(\\$\\w+)?)")
        .check(ALL);
  }
}
