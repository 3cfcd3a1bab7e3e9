package dev.tokenwatch.ingest;

/**
 * The incremental-offsets file in the state directory cannot be used: unreadable, corrupt, or
 * written by a newer tokenwatch. The file is never overwritten in that case.
 */
public final class IngestStateException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  IngestStateException(String message, Throwable cause) {
    super(message, cause);
  }

  IngestStateException(String message) {
    super(message);
  }
}
