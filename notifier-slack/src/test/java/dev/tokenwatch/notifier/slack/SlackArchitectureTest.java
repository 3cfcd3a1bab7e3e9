package dev.tokenwatch.notifier.slack;

import dev.tokenwatch.domain.architecture.AdapterArchitectureContract;

/** This adapter's dependency rules: the domain's shared contract. */
class SlackArchitectureTest extends AdapterArchitectureContract {

  @Override
  protected String adapterPackage() {
    return "dev.tokenwatch.notifier.slack";
  }
}
