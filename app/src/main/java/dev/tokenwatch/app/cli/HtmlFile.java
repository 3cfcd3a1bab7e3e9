package dev.tokenwatch.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The file of {@code report --html FILE}. */
final class HtmlFile {

  private HtmlFile() {}

  /**
   * Writes {@code page} to {@code file} (a path as given to {@code --html}) through a temporary file
   * beside it, so a browser reloading it never sees half a page; says where on stderr.
   *
   * @return false, after saying why on stderr, if it cannot be written
   */
  static boolean write(CliContext context, String file, String page) {
    Path target = context.env().resolve(file);
    Path temporary = null;
    Path directory = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(directory)) {
      context.err().println("tokenwatch: --html " + file + ": the directory " + directory + " does not exist");
      return false;
    }
    try {
      // not Files.createTempFile: its owner-only permissions would stay on the page, not the umask's
      temporary = directory.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      Files.writeString(temporary, page, StandardCharsets.UTF_8);
      try {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      context.err().println("tokenwatch: wrote the HTML report to " + target);
      return true;
    } catch (IOException e) {
      context.err().println("tokenwatch: --html " + file + ": cannot write " + target + " ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
      deleteQuietly(temporary);
      return false;
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the error that matters was reported; a stray temporary file is all that is left
      }
    }
  }
}
