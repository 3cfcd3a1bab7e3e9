package dev.tokenwatch.app.audit;

import dev.tokenwatch.domain.port.AuditRecord;
import dev.tokenwatch.domain.port.AuditTrail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The application's audit trail: every record as one JSON line ({@link AuditJson}) appended to
 * {@code audit.jsonl} in the state directory ({@link AuditFile}: one write per record, under an OS
 * lock shared with other processes) before the tracking call returns. The files are created on the
 * first record: 0600, their directory 0700. Rolled over before a line would take the file past 10 MB,
 * keeping 4 older files.
 */
public final class FileAuditTrail implements AuditTrail, AutoCloseable {

  /** The audit log's file name in the state directory. */
  public static final String FILE_NAME = "audit.jsonl";
  static final long MAX_FILE_BYTES = 10L * 1024 * 1024;
  static final int BACKUPS = 4;

  private final AuditFile file;

  FileAuditTrail(AuditFile file) {
    this.file = file;
  }

  /** The audit trail in {@code <stateDirectory>/audit.jsonl}. */
  public static FileAuditTrail in(Path stateDirectory) {
    return new FileAuditTrail(new AuditFile(stateDirectory.resolve(FILE_NAME), MAX_FILE_BYTES, BACKUPS));
  }

  /** Where the records go. */
  public Path file() {
    return file.file;
  }

  /** Writes {@code record}; throws {@link UncheckedIOException} if it cannot. */
  @Override
  public void append(AuditRecord record) {
    byte[] line = AuditJson.line(record);
    try {
      file.append(line);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the audit log " + file.file + ": " + e, e);
    }
  }

  @Override
  public void close() throws IOException {
    file.close();
  }

  @Override
  public String toString() {
    return "FileAuditTrail[" + file.file + "]";
  }
}
