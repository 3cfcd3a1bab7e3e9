package dev.tokenwatch.domain.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a README example equal to the code a test runs. In the repository's {@code README.md} the
 * line {@code <!-- snippet: NAME -->} stands right before the example's fenced block; in the test
 * source the same code stands between {@code // --- README: NAME ---} and {@code // --- end ---}
 * (compared without its common indentation), or a whole file is the example. Shared by every
 * module's README test through the domain's test-jar.
 */
public final class ReadmeSnippets {

  private static final String END = "// --- end ---";

  private ReadmeSnippets() {}

  /** Asserts the README's snippet {@code name} equals the marked section of a test source (module-relative). */
  public static void assertReadmeShowsSection(String name, Path testSource) {
    assertEquals(section(read(testSource), name, testSource), readmeSnippet(name),
        "README.md's snippet '" + name + "' differs from the code in " + testSource + ": keep the two equal");
  }

  /** Asserts the README's snippet {@code name} equals a whole file (module-relative), e.g. a properties file. */
  public static void assertReadmeShowsFile(String name, Path file) {
    assertEquals(read(file).stripTrailing(), readmeSnippet(name),
        "README.md's snippet '" + name + "' differs from " + file + ": keep the two equal");
  }

  /** The README's snippet {@code name}: the fenced block after its marker line, without the fences. */
  public static String readmeSnippet(String name) {
    return readmeBlock(read(readme()), name);
  }

  /** The repository's README: the parent of the module directory a test runs in. */
  static Path readme() {
    Path readme = Path.of("").toAbsolutePath().getParent().resolve("README.md");
    if (!Files.isRegularFile(readme)) {
      throw new IllegalStateException("no README.md at " + readme + " (tests run in the module directory)");
    }
    return readme;
  }

  /** The content of the one fenced block after {@code <!-- snippet: name -->}. */
  static String readmeBlock(String markdown, String name) {
    List<String> lines = markdown.lines().toList();
    String marker = "<!-- snippet: " + name + " -->";
    int at = lines.indexOf(marker);
    if (at < 0) {
      throw new AssertionError("README.md has no line " + marker);
    }
    if (lines.lastIndexOf(marker) != at) {
      throw new AssertionError("README.md has the line " + marker + " twice");
    }
    if (at + 1 >= lines.size() || !lines.get(at + 1).startsWith("```")) {
      throw new AssertionError("README.md: " + marker + " (line " + (at + 1) + ") is not followed by a ``` block");
    }
    int end = at + 2;
    while (end < lines.size() && !lines.get(end).startsWith("```")) {
      end++;
    }
    if (end == lines.size()) {
      throw new AssertionError("README.md: the block after " + marker + " is not closed");
    }
    return String.join("\n", lines.subList(at + 2, end));
  }

  /** The lines between {@code // --- README: name ---} and the next {@code // --- end ---}, dedented. */
  static String section(String source, String name, Path file) {
    List<String> lines = source.lines().toList();
    String start = "// --- README: " + name + " ---";
    int from = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(start)) {
        if (from >= 0) {
          throw new AssertionError(file + " has the line " + start + " twice");
        }
        from = i + 1;
      }
    }
    if (from < 0) {
      throw new AssertionError(file + " has no line " + start);
    }
    int to = from;
    while (to < lines.size() && !lines.get(to).strip().equals(END)) {
      to++;
    }
    if (to == lines.size()) {
      throw new AssertionError(file + ": no " + END + " after " + start);
    }
    return dedent(lines.subList(from, to));
  }

  private static String dedent(List<String> lines) {
    int indent = lines.stream().filter(line -> !line.isBlank())
        .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
    List<String> out = new ArrayList<>(lines.size());
    for (String line : lines) {
      out.add(line.isBlank() ? "" : line.substring(indent));
    }
    return String.join("\n", out);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
    }
  }
}
