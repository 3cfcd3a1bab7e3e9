package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.architecture.AdapterArchitectureContract;

/** This adapter's dependency rules: the domain's shared contract. */
class ArchitectureTest extends AdapterArchitectureContract {

  @Override
  protected String adapterPackage() {
    return "dev.tokenwatch.persistence.jdbc";
  }
}
