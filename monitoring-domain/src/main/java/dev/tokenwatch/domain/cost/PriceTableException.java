package dev.tokenwatch.domain.cost;

/** A price table that cannot be read: names the file, the line and the field. */
public final class PriceTableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String field;

  /**
   * An error at a line and field.
   *
   * @param file the file's name
   * @param line the line, counted from 1; 0 for the file as a whole
   * @param field the field's column name; {@code null} for the line as a whole
   * @param problem what is wrong, with the value
   */
  public PriceTableException(String file, int line, String field, String problem) {
    super(file + (line > 0 ? " line " + line : "") + (field != null ? ", field " + field : "") + ": " + problem);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  /** The file's name. */
  public String file() {
    return file;
  }

  /** The line, counted from 1; 0 for the file as a whole. */
  public int line() {
    return line;
  }

  /** The field's column name; {@code null} for the line as a whole. */
  public String field() {
    return field;
  }
}
