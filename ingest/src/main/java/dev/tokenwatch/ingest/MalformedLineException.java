package dev.tokenwatch.ingest;

/**
 * Thrown in strict mode at the first malformed line. The lines before it were applied and their
 * offsets saved, so a later run starts at this line again.
 */
public final class MalformedLineException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient MalformedLine malformed;

  MalformedLineException(MalformedLine malformed) {
    super(malformed.toString());
    this.malformed = malformed;
  }

  /** The file, line number and reason. */
  public MalformedLine malformedLine() {
    return malformed;
  }
}
