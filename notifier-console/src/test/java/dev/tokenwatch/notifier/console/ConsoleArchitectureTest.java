package dev.tokenwatch.notifier.console;

import dev.tokenwatch.domain.architecture.AdapterArchitectureContract;

/** This adapter's dependency rules: the domain's shared contract. */
class ConsoleArchitectureTest extends AdapterArchitectureContract {

  @Override
  protected String adapterPackage() {
    return "dev.tokenwatch.notifier.console";
  }
}
