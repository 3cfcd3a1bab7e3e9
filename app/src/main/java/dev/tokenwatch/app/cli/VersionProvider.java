package dev.tokenwatch.app.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version from the jar's manifest, and the Java runtime. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {
        "tokenwatch " + (version == null ? "(development build)" : version),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
  }
}
