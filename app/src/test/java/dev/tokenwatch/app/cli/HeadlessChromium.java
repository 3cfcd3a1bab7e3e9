package dev.tokenwatch.app.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real browser for tests: Debian's {@code chromium} in headless mode, in a child process with a
 * timeout and a new, deleted-after profile, printing a page's DOM after its scripts ran. Without the
 * browser the test fails (never skips), saying how to install it: {@code .ci/run} installs it.
 */
final class HeadlessChromium {

  static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final long TIMEOUT_SECONDS = 90;

  private HeadlessChromium() {}

  /** The DOM of {@code page} (a local file) opened with {@code #fragment} ({@code ""} for none), as HTML. */
  static String dumpDom(Path page, String fragment) throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new AssertionError("No browser could be started: " + BINARY + " is missing. This test renders the HTML "
          + "report in headless Chromium and fails without it (it does not skip): install Debian's chromium package "
          + "(apt-get install -y chromium), as .ci/run does.");
    }
    Path profile = Files.createTempDirectory("tokenwatch-chromium-");
    try {
      Path out = profile.resolve("dom.html");
      Path err = profile.resolve("stderr.txt");
      String url = page.toAbsolutePath().toUri() + (fragment.isEmpty() ? "" : "#" + fragment);
      Path data = Files.createDirectory(profile.resolve("profile"));
      ProcessBuilder builder = new ProcessBuilder(List.of(BINARY.toString(), "--headless", "--no-sandbox",
          "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--user-data-dir=" + data, "--dump-dom", url))
          .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
      // whatever the browser writes outside its profile goes to the temporary directory too
      Map<String, String> env = builder.environment();
      env.put("HOME", profile.toString());
      env.put("XDG_CONFIG_HOME", profile.resolve("config").toString());
      env.put("XDG_CACHE_HOME", profile.resolve("cache").toString());
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new AssertionError("No browser could be started: " + BINARY + " failed to start (" + e.getMessage()
            + "); install Debian's chromium package (apt-get install -y chromium), as .ci/run does.", e);
      }
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("headless Chromium did not finish rendering " + url + " within " + TIMEOUT_SECONDS
            + " s; its stderr:\n" + tail(err));
      }
      String dom = Files.readString(out, StandardCharsets.UTF_8);
      if (process.exitValue() != 0 || dom.isBlank()) {
        throw new AssertionError("headless Chromium exited with " + process.exitValue() + " and "
            + (dom.isBlank() ? "no DOM" : dom.length() + " characters of DOM") + " for " + url + "; its stderr:\n"
            + tail(err));
      }
      return dom;
    } finally {
      deleteTree(profile);
    }
  }

  private static String tail(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
