package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Another local user against an open H2 store: the process listens on no port, the directory and
 * files are the owner's only, and user {@code nobody} (run through {@code setpriv}, which needs
 * root; skipped with the reason otherwise) can neither read the files nor open the database with
 * H2's own client, AUTO_SERVER or not.
 */
class H2FileSecurityTest {

  private static final int NOBODY = 65534;

  /** Under /tmp, world-searchable (0755), so only the store's own permissions keep {@code nobody} out. */
  private Path root;

  @BeforeEach
  void createRoot() throws IOException {
    root = Files.createTempDirectory("tokenwatch-h2-security");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void deleteRoot() throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void anOpenStoreListensOnNoPort() throws Exception {
    Set<String> before = listeningSockets();
    String url = "jdbc:h2:file:" + root.resolve("db/usage");
    try (JdbcUsageStore store = JdbcUsageStore.builder().url(url).user("sa").build()) {
      store.windowTotals(Workload.WINDOW);
      Set<String> opened = listeningSockets();
      opened.removeAll(before);
      assertThat(opened).as("sockets this JVM listens on since the store opened").isEmpty();
    }
  }

  @Test
  void autoServerInTheUrlIsRefused() {
    String url = "jdbc:h2:file:" + root.resolve("db/usage") + ";AUTO_SERVER=TRUE;PASSWORD=pw-SECRET";
    assertThatThrownBy(() -> JdbcUsageStore.builder().url(url).user("sa").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sets AUTO_SERVER=TRUE, which is not supported")
        .hasMessageContaining("PASSWORD=***")
        .hasMessageNotContaining("pw-SECRET");
    assertThat(root.resolve("db")).doesNotExist();
  }

  @Test
  void directoryAndFilesAreTheOwnersOnly() throws Exception {
    Path db = root.resolve("db");
    try (JdbcUsageStore store = JdbcUsageStore.builder().url("jdbc:h2:file:" + db.resolve("usage")).user("sa")
        .build()) {
      store.windowTotals(Workload.WINDOW);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rwx------");
      List<Path> files = list(db);
      assertThat(files).extracting(p -> p.getFileName().toString()).contains("usage.mv.db");
      for (Path file : files) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("%s", file)
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void filesLeftOpenToOthersByAnEarlierVersionAreNarrowedOnOpen() throws Exception {
    Path db = Files.createDirectories(root.resolve("old"));
    Path data = Files.createFile(db.resolve("usage.mv.db"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rw-r--r--"));
    try (JdbcUsageStore store = JdbcUsageStore.builder().url("jdbc:h2:file:" + db.resolve("usage")).user("sa")
        .build()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rw-------");
    }
  }

  @Test
  void userNobodyCanNeitherReadTheFilesNorConnect() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")),
        "needs root to run commands as user nobody through setpriv; running as " + System.getProperty("user.name"));
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs /usr/bin/setpriv (util-linux)");
    // H2's jar where nobody can read it, for nobody's own H2 client.
    Path h2Jar = Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path tools = Files.createDirectories(root.resolve("tools"));
    Path jar = Files.copy(h2Jar, tools.resolve("h2.jar"));
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));

    Path db = root.resolve("db");
    String base = db.resolve("usage").toString();
    try (JdbcUsageStore store = JdbcUsageStore.builder().url("jdbc:h2:file:" + base).user("sa").build()) {
      store.windowTotals(Workload.WINDOW);
      List<Path> files = list(db);
      assertThat(files).isNotEmpty();
      for (Path file : files) {
        Result cat = asNobody("cat", file.toString());
        assertThat(cat.exitCode()).as("cat %s as nobody: %s", file, cat.output()).isNotZero();
        assertThat(cat.output()).contains("Permission denied");
      }
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      for (String settings : List.of("", ";AUTO_SERVER=TRUE", ";FILE_LOCK=NO;ACCESS_MODE_DATA=r")) {
        Result shell = asNobody(java, "-XX:-UsePerfData", "-Duser.home=/tmp", "-cp", jar.toString(),
            "org.h2.tools.Shell", "-url", "jdbc:h2:file:" + base + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;IFEXISTS=TRUE"
                + settings, "-user", "sa", "-password", "",
            "-sql", "SELECT 'READ-' || COUNT(*) FROM tokenwatch_usage_counters");
        assertThat(shell.output()).as("H2 shell as nobody with '%s'", settings).doesNotContain("READ-");
        assertThat(shell.exitCode()).as("H2 shell as nobody with '%s': %s", settings, shell.output()).isNotZero();
      }
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result asNobody(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
        "--clear-groups", "--"));
    full.addAll(List.of(command));
    Process process = new ProcessBuilder(full).redirectErrorStream(true).directory(Path.of("/tmp").toFile()).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + full);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }

  private static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.sorted().toList();
    }
  }

  /** "address:port" of every TCP socket this JVM has in state LISTEN (from /proc). */
  private static Set<String> listeningSockets() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // The fd of the listing itself, or one closed since: not a socket of interest.
        }
      }
    }
    Set<String> listening = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path path = Path.of(table);
      if (!Files.exists(path)) {
        continue;
      }
      // Read once: other processes open and close sockets between two reads (the table's length changes).
      List<String> lines = Files.readAllLines(path);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
          listening.add(f[1]);
        }
      }
    }
    return listening;
  }
}
