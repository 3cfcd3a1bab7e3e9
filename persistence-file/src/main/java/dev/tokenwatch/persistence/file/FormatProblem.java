package dev.tokenwatch.persistence.file;

/** A problem with bytes read from a store file; the caller adds the file and offset ({@link StoreFileException}). */
final class FormatProblem extends Exception {

  private static final long serialVersionUID = 1L;

  FormatProblem(String message) {
    super(message);
  }

  FormatProblem(String message, Throwable cause) {
    super(message, cause);
  }
}
