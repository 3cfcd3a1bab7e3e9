package dev.tokenwatch.ingest;

import java.util.Objects;

/**
 * A line that could not be ingested.
 *
 * @param source the file it came from ({@code -} for standard input)
 * @param line its 1-based line number in that file
 * @param reason what is wrong, naming the field and value where there is one
 */
public record MalformedLine(String source, long line, String reason) {

  public MalformedLine {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(reason, "reason");
  }

  /** {@code file:line: reason}. */
  @Override
  public String toString() {
    return source + ':' + line + ": " + reason;
  }
}
