package dev.tokenwatch.app;

import java.nio.file.Path;

/**
 * Points Log4j2 at the state directory before it initialises. {@code log4j2.xml} writes the audit
 * log to {@code ${sys:tokenwatch.stateDir}/audit.jsonl}; Log4j reads the property once, when the
 * first logger is created, so this must run before any class that holds a logger is used.
 */
final class Logging {

  static final String STATE_DIR_PROPERTY = "tokenwatch.stateDir";
  static final String AUDIT_FILE = "audit.jsonl";

  private Logging() {}

  /**
   * Sets the audit log's directory unless it is already set (by {@code -Dtokenwatch.stateDir} or an
   * earlier command in the same JVM: Log4j keeps the directory it started with).
   */
  static synchronized Path useStateDirectory(Path stateDirectory) {
    String current = System.getProperty(STATE_DIR_PROPERTY);
    if (current == null || current.isEmpty()) {
      System.setProperty(STATE_DIR_PROPERTY, stateDirectory.toAbsolutePath().toString());
      return stateDirectory;
    }
    return Path.of(current);
  }
}
