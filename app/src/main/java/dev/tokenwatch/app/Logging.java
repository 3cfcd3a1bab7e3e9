package dev.tokenwatch.app;

import dev.tokenwatch.app.logging.AppLogging;
import java.nio.file.Path;

/**
 * Points the audit log at the state directory: it goes to {@code <state dir>/audit.jsonl}, the
 * directory read from the system property {@value AppLogging#STATE_DIR_PROPERTY} whenever the audit
 * file is opened.
 */
final class Logging {

  private Logging() {}

  /**
   * Sets the audit log's directory unless it is already set (by {@code -Dtokenwatch.stateDir} or an
   * earlier command in the same JVM, whose audit log keeps its place).
   */
  static synchronized Path useStateDirectory(Path stateDirectory) {
    String current = System.getProperty(AppLogging.STATE_DIR_PROPERTY);
    if (current == null || current.isEmpty()) {
      System.setProperty(AppLogging.STATE_DIR_PROPERTY, stateDirectory.toAbsolutePath().toString());
      return stateDirectory;
    }
    return Path.of(current);
  }
}
