package dev.tokenwatch.integration.langchain4j;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import dev.tokenwatch.domain.architecture.AdapterArchitectureContract;
import dev.tokenwatch.domain.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** This integration's dependency rules: the domain's shared contract, and the provider modules kept optional. */
class IntegrationArchitectureTest extends AdapterArchitectureContract {

  @Override
  protected String adapterPackage() {
    return "dev.tokenwatch.integration.langchain4j";
  }

  @Test
  void onlyTheGuardedReadersTouchTheOptionalProviderModules() throws Exception {
    // this module's classes directory only: scanning the class path again takes seconds
    Location classes = Location.of(TokenwatchChatModelListener.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    ArchitectureRules.LANGCHAIN4J_PROVIDERS_ARE_OPTIONAL.check(new ClassFileImporter()
        .withImportOption(ArchitectureRules.PRODUCTION_CLASSES_ONLY).importLocations(java.util.Set.of(classes)));
  }
}
