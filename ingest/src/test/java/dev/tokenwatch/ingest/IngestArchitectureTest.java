package dev.tokenwatch.ingest;

import dev.tokenwatch.domain.architecture.AdapterArchitectureContract;

/** This adapter's dependency rules: the domain's shared contract. */
class IngestArchitectureTest extends AdapterArchitectureContract {

  @Override
  protected String adapterPackage() {
    return "dev.tokenwatch.ingest";
  }
}
