package dev.tokenwatch.app.cli;

import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where {@code ingest} keeps its per-file offsets. Offsets mean "these lines are already in
 * <em>that</em> store for <em>that</em> budget", so there is one directory per store and budget:
 *
 * <ul>
 *   <li>file store: {@code <store path>/ingest/<budget>} (with the default configuration, {@code
 *       <state dir>/ingest/<budget>}). Kept inside the store's directory, the offsets go wherever
 *       the usage goes: deleting the store deletes them too, so a later ingest counts everything
 *       again instead of skipping lines that are no longer counted.
 *   <li>jdbc store: {@code <state dir>/ingest/jdbc-<hash>/<budget>}, the hash taken over the
 *       redacted URL and the schema (never the password). The database lives elsewhere, so the
 *       offsets stay on this machine; after dropping or recreating the database, delete that
 *       directory.
 *   <li>memory store: none. The usage ends with the process, so offsets must not outlive it; every
 *       run reads every file (follow mode still reads only new lines while it runs).
 * </ul>
 */
final class IngestStateLocation {

  static final String DIRECTORY = "ingest";

  private IngestStateLocation() {}

  /** The offsets directory for {@code config}, or empty when offsets must not be kept. */
  static Optional<Path> of(AppConfig config) {
    String budget = pathSegment(config.budget().name());
    StoreConfig store = config.store();
    if (store instanceof StoreConfig.Memory) {
      return Optional.empty();
    }
    if (store instanceof StoreConfig.File file) {
      return Optional.of(file.path().resolve(DIRECTORY).resolve(budget));
    }
    StoreConfig.Jdbc jdbc = (StoreConfig.Jdbc) store;
    String identity = jdbc.redactedUrl() + '\n' + jdbc.schema().orElse("");
    return Optional.of(config.stateDirectory().resolve(DIRECTORY).resolve("jdbc-" + sha256Prefix(identity))
        .resolve(budget));
  }

  /**
   * Budget names are letters, digits, '.', '_' and '-', so they are file names already, except
   * that "." and ".." (and other leading dots) would be special or hidden: a leading dot becomes
   * "%2E", which no budget name can contain.
   */
  static String pathSegment(String budgetName) {
    return budgetName.startsWith(".") ? "%2E" + budgetName.substring(1) : budgetName;
  }

  private static String sha256Prefix(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
