package dev.tokenwatch.persistence.file;

import java.nio.file.Path;

/**
 * A store file that cannot be used as it is: unreadable, corrupt in the middle, empty where content
 * is required, or written by a newer tokenwatch. The message names the file and, where it applies,
 * the byte offset. The store never overwrites a file it could not read.
 */
public final class StoreFileException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;

  StoreFileException(Path file, long offset, String problem, Throwable cause) {
    super(file + (offset >= 0 ? " at byte offset " + offset : "") + ": " + problem, cause);
    this.file = file;
    this.offset = offset;
  }

  StoreFileException(Path file, long offset, String problem) {
    this(file, offset, problem, null);
  }

  /** The file (or directory) concerned. */
  public Path file() {
    return file;
  }

  /** The byte offset of the problem in the file, or -1 if it concerns the file as a whole. */
  public long offset() {
    return offset;
  }
}
