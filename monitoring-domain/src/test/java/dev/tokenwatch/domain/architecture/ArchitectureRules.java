package dev.tokenwatch.domain.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The dependency rules of tokenwatch's hexagonal layout, shared through the domain's test-jar so
 * every module checks its own classes against the same rules.
 */
public final class ArchitectureRules {

  public static final String DOMAIN = "dev.tokenwatch.domain..";
  public static final String PORTS = "dev.tokenwatch.domain.port..";
  public static final String APP = "dev.tokenwatch.app..";
  /** The configuration model, shared by the application, the Spring starter and plain embeddings. */
  public static final String CONFIG = "dev.tokenwatch.config..";

  /** Every adapter package (stores, notifiers, log ingestion); an adapter may depend on the domain only. */
  public static final List<String> ADAPTERS = List.of(
      "dev.tokenwatch.persistence.file..",
      "dev.tokenwatch.persistence.jdbc..",
      "dev.tokenwatch.notifier.console..",
      "dev.tokenwatch.notifier.slack..",
      "dev.tokenwatch.ingest..",
      "dev.tokenwatch.integration.langchain4j..",
      "dev.tokenwatch.metrics.micrometer..");

  private ArchitectureRules() {}

  /** Skips test classes: those in test-classes directories and in test-jars such as the domain's. */
  public static final ImportOption PRODUCTION_CLASSES_ONLY = location ->
      ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location) && !location.contains("-tests.jar");

  /** The production classes of {@code packages} on the class path (tests and test-jars left out). */
  public static JavaClasses importProductionClasses(String... packages) {
    return new ClassFileImporter().withImportOption(PRODUCTION_CLASSES_ONLY).importPackages(packages);
  }

  /** The domain depends on the JDK, itself and the Log4j2 API only. */
  public static final ArchRule DOMAIN_IS_PURE = classes().that().resideInAPackage(DOMAIN)
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, "org.apache.logging.log4j",
          "org.apache.logging.log4j.util", "org.apache.logging.log4j.message", "org.apache.logging.log4j.spi")
      .because("the core must stay free of frameworks and adapters");

  /** Ports (the stores, sinks, audit trail and clock of the port package) are interfaces. */
  public static final ArchRule PORTS_ARE_INTERFACES = classes().that().resideInAPackage(PORTS)
      .and().haveNameMatching(".*\\.(\\w+Store|\\w+Sink|AuditTrail|Clock)")
      .should().beInterfaces()
      .because("ports are what the core needs, not how it is done");

  /** The domain does not know any adapter or the application. */
  public static final ArchRule DOMAIN_KNOWS_NO_ADAPTER = noClasses().that().resideInAPackage(DOMAIN)
      .should().dependOnClassesThat().resideInAnyPackage(
          java.util.stream.Stream.concat(ADAPTERS.stream(), java.util.stream.Stream.of(APP, CONFIG))
              .toArray(String[]::new));

  /** The configuration model is plain Java: the JDK, the domain and Jackson's YAML parser only. */
  public static final ArchRule CONFIG_IS_PLAIN = classes().that().resideInAPackage(CONFIG)
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", DOMAIN, CONFIG, "com.fasterxml.jackson.core..",
          "com.fasterxml.jackson.dataformat.yaml..")
      .because("the CLI, the Spring starter and a plain embedding read the same configuration with it");

  /** Only the application module uses Guice. */
  public static final ArchRule ONLY_APP_USES_GUICE = noClasses().that().resideOutsideOfPackage(APP)
      .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..")
      .allowEmptyShould(true);

  /** Only the application module uses Log4j2 core (the others log through the API). */
  public static final ArchRule ONLY_APP_USES_LOG4J_CORE = noClasses().that().resideOutsideOfPackage(APP)
      .should().dependOnClassesThat().resideInAnyPackage("org.apache.logging.log4j.core..")
      .allowEmptyShould(true);

  /**
   * The LangChain4j provider modules are optional dependencies of the integration: only the two
   * readers of their usage classes, loaded when a response carries one, may refer to them.
   */
  public static final ArchRule LANGCHAIN4J_PROVIDERS_ARE_OPTIONAL = noClasses()
      .that().resideInAPackage("dev.tokenwatch.integration.langchain4j..")
      .and().doNotHaveSimpleName("OpenAiUsage").and().doNotHaveSimpleName("AnthropicUsage")
      .should().dependOnClassesThat().resideInAnyPackage("dev.langchain4j.model.openai..",
          "dev.langchain4j.model.anthropic..")
      .because("an application without a provider module must still load the listener");

  /** Adapters depend on the domain, never on each other, the configuration model or the application. */
  public static ArchRule adapterIsIsolated(String adapterPackage) {
    String[] forbidden = java.util.stream.Stream.concat(
            ADAPTERS.stream().filter(a -> !a.equals(adapterPackage)), java.util.stream.Stream.of(APP, CONFIG))
        .toArray(String[]::new);
    return noClasses().that().resideInAPackage(adapterPackage)
        .should().dependOnClassesThat().resideInAnyPackage(forbidden)
        .because("adapters plug into the domain's ports and know nothing of each other");
  }
}
