package dev.tokenwatch.app.audit;

import dev.tokenwatch.domain.port.AuditRecord;
import dev.tokenwatch.domain.port.AuditTrail;
import dev.tokenwatch.domain.port.UsageStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The application's audit trail: every record as one JSON line ({@link AuditJson}) appended to
 * {@code audit.jsonl} in the state directory ({@link AuditFile}: one write per record, under an OS
 * lock shared with other processes) before the tracking call returns. The files are created on the
 * first record: 0600, their directory 0700. Rolled over before a line would take the file past 10 MB,
 * keeping 4 older files.
 *
 * <p>Given the tracker's store through {@link #reconcileAndWatch}, the trail also matches the store
 * after a crash: each store operation is noted in {@link PendingOps} before it runs and its tracking
 * record names it, and what a killed process left open is resolved at the next open ({@link
 * Reconciliation}).
 */
public final class FileAuditTrail implements AuditTrail, AutoCloseable {

  /** The audit log's file name in the state directory. */
  public static final String FILE_NAME = "audit.jsonl";
  static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
  static final int BACKUPS = 4;
  private static final Logger LOG = LogManager.getLogger(FileAuditTrail.class);

  private final AuditFile file;
  private final Path pendingDirectory;
  private final PendingOps pending;

  FileAuditTrail(AuditFile file, Path stateDirectory) {
    this.file = file;
    this.pendingDirectory = stateDirectory.toAbsolutePath().normalize().resolve(PendingOps.DIRECTORY);
    this.pending = new PendingOps(stateDirectory);
  }

  /** The audit trail in {@code <stateDirectory>/audit.jsonl}. */
  public static FileAuditTrail in(Path stateDirectory) {
    return new FileAuditTrail(new AuditFile(stateDirectory.resolve(FILE_NAME), MAX_FILE_BYTES, BACKUPS),
        stateDirectory);
  }

  /** Where the records go. */
  public Path file() {
    return file.file;
  }

  /**
   * Appends a {@code recovered} record for every event that processes killed while tracking left in
   * {@code store} but not in this trail, then returns {@code store} as the tracker must use it: each
   * {@code record} noted first, so that a crash leaves nothing unreconciled. A failure to reconcile is
   * logged; tracking goes on.
   *
   * @param now the time of the recovered records
   */
  public UsageStore reconcileAndWatch(UsageStore store, Instant now) {
    try {
      Reconciliation.Outcome outcome = Reconciliation.run(file, pendingDirectory, store, now);
      if (outcome.recovered() > 0) {
        LOG.warn("The audit log {} lacked {} event(s) that {} operation(s) of killed processes had recorded in the"
            + " store: appended as \"recovered\"", file.file, outcome.recovered(), outcome.operations());
      } else if (outcome.operations() > 0) {
        LOG.info("Resolved {} operation(s) of killed processes against the store: nothing was missing from the"
            + " audit log {}", outcome.operations(), file.file);
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("Could not reconcile the audit log {} with the store: {}", file.file, e.toString(), e);
    }
    return new WatchedStore(store, pending);
  }

  /** Writes {@code record}; throws {@link UncheckedIOException} if it cannot. */
  @Override
  public void append(AuditRecord record) {
    long op = record instanceof AuditRecord.Tracked || record instanceof AuditRecord.BatchTracked ? pending.take() : 0;
    byte[] line = AuditJson.line(record, op == 0 ? null : pending.id(op));
    try {
      file.append(line);
      if (op != 0) {
        pending.end(op);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the audit log " + file.file + ": " + e, e);
    }
  }

  @Override
  public void close() throws IOException {
    try (AuditFile f = file) {
      pending.close();
    }
  }

  @Override
  public String toString() {
    return "FileAuditTrail[" + file.file + "]";
  }
}
