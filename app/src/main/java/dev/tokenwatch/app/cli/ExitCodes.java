package dev.tokenwatch.app.cli;

/** The process exit codes, documented in {@code --help} and the README. */
final class ExitCodes {

  /** Success. */
  static final int OK = 0;
  /**
   * {@code check}: usage is at or over the ratio; {@code reserve}: a hard budget refused the estimate;
   * {@code doctor}: a notifier failed its test.
   */
  static final int OVER = 1;
  /** Bad command line or configuration; {@code ingest}: a named input is no usage log at all. */
  static final int USAGE = 2;
  /** The store could not be opened, read or written (or the ingest offsets could not be used). */
  static final int STORE = 3;
  /** {@code ingest --strict}: a malformed line stopped the ingest. */
  static final int MALFORMED = 4;
  /** A bug: an unexpected exception (its stack trace is printed). */
  static final int INTERNAL = 70;

  /** The lines of the help footer, in picocli's "code:description" form. */
  static final String[] HELP = {
      "0:success",
      "1:check: usage at or over the ratio; reserve: refused by a hard budget; doctor: a notifier failed",
      "2:usage or configuration error",
      "3:store error (cannot open, read or write the usage store)",
      "4:ingest --strict: a malformed line stopped the ingest",
      "70:internal error (a bug; the stack trace is printed)"};

  private ExitCodes() {}
}
