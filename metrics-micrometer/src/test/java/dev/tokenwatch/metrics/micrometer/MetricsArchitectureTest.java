package dev.tokenwatch.metrics.micrometer;

import dev.tokenwatch.domain.architecture.AdapterArchitectureContract;

/** This module's dependency rules: the domain's shared contract. */
class MetricsArchitectureTest extends AdapterArchitectureContract {

  @Override
  protected String adapterPackage() {
    return "dev.tokenwatch.metrics.micrometer";
  }
}
