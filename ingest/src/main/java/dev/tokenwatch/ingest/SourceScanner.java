package dev.tokenwatch.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Lists the sources of a pass: the input files, those of input directories (walked recursively for
 * {@code *.jsonl} and {@code *.json}, in sorted order) and standard input, each with where reading
 * starts after the offsets of earlier runs. Files unchanged since their mark are left out.
 */
final class SourceScanner {

  private SourceScanner() {}

  /**
   * The sources to read, in input order.
   *
   * @param marks the offsets of earlier runs, by file name
   * @param seen receives the name of every input file found (and "-")
   * @param lenient whether missing inputs are skipped (follow mode: a rotated file may be absent
   *     for a moment) rather than an error
   * @param withStdin whether {@code -} is read (only in the first pass: it is read to its end)
   */
  static List<Source> scan(List<String> inputs, Map<String, OffsetStore.FileMark> marks, Set<String> seen,
      boolean lenient, boolean withStdin) {
    Map<String, Source> found = new LinkedHashMap<>();
    boolean stdinSeen = false;
    for (String input : inputs) {
      if (Source.STDIN.equals(input)) {
        if (withStdin && !stdinSeen) {
          found.put(Source.STDIN, Source.stdin());
        }
        stdinSeen = true;
        continue;
      }
      Path path = Path.of(input).toAbsolutePath().normalize();
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(path, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        if (lenient) {
          continue;
        }
        throw new IllegalArgumentException("no such file or directory: " + input, e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + input + ": " + e.getMessage(), e);
      }
      if (attrs.isDirectory()) {
        walk(path, marks, found);
      } else {
        addFile(path, attrs, marks, found);
      }
    }
    List<Source> toRead = new ArrayList<>();
    found.forEach((name, source) -> {
      seen.add(name);
      if (source != null) {
        toRead.add(source);
      }
    });
    return toRead;
  }

  private static void walk(Path dir, Map<String, OffsetStore.FileMark> marks, Map<String, Source> found) {
    TreeMap<String, BasicFileAttributes> files = new TreeMap<>();
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
          if (attrs.isRegularFile() && (name.endsWith(".jsonl") || name.endsWith(".json"))) {
            files.put(file.toString(), attrs);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE; // deleted while walking
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    files.forEach((name, attrs) -> addFile(Path.of(name), attrs, marks, found));
  }

  /** Adds the file with its start offset, or null if it is unchanged since its mark. */
  private static void addFile(Path path, BasicFileAttributes attrs, Map<String, OffsetStore.FileMark> marks,
      Map<String, Source> found) {
    String name = path.toString();
    if (found.containsKey(name)) {
      return;
    }
    Object key = attrs.fileKey();
    String fileKey = key == null ? null : key.toString();
    long size = attrs.size();
    long mtime = attrs.lastModifiedTime().toMillis();
    OffsetStore.FileMark mark = marks.get(name);
    long offset = 0;
    long line = 0;
    if (mark != null && Objects.equals(mark.fileKey(), fileKey) && mark.offset() <= size) {
      if (mark.size() == size && mark.mtimeMillis() == mtime) {
        found.put(name, null); // unchanged since the last run: nothing to read
        return;
      }
      offset = mark.offset();
      line = mark.line();
    }
    found.put(name, new Source(name, path, fileKey, size, mtime, offset, line, offset > 0 ? mark : null));
  }
}
