package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.architecture.AdapterArchitectureContract;

/** This adapter's dependency rules: the domain's shared contract. */
class FileStoreArchitectureTest extends AdapterArchitectureContract {

  @Override
  protected String adapterPackage() {
    return "dev.tokenwatch.persistence.file";
  }
}
