package dev.tokenwatch.app.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.testing.JavaCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFileTest {

  @TempDir
  Path dir;

  private final List<AuditFile> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws IOException {
    for (AuditFile file : open) {
      file.close();
    }
  }

  private AuditFile audit(long maxFileBytes, int backups) {
    AuditFile file = new AuditFile(file(), maxFileBytes, backups);
    open.add(file);
    return file;
  }

  private Path file() {
    return dir.resolve("audit.jsonl");
  }

  static String line(String writer, long n) {
    return "{\"writer\":\"" + writer + "\",\"n\":" + n + ",\"pad\":\"" + "x".repeat((int) (n % 97)) + "\"}";
  }

  private static void append(AuditFile audit, String line) throws IOException {
    audit.append((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private List<String> names() throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Every line of the log, oldest file first. */
  private List<String> allLines(int backups) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = backups; i >= 1; i--) {
      Path older = dir.resolve("audit." + i + ".jsonl");
      if (Files.exists(older)) {
        lines.addAll(Files.readAllLines(older));
      }
    }
    lines.addAll(Files.readAllLines(file()));
    return lines;
  }

  @Test
  void eachLineIsInTheFileWhenAppendReturns() throws IOException {
    AuditFile audit = audit(1 << 20, 4);
    append(audit, "{\"a\":1}");
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n");
    append(audit, "{\"b\":\"é\"}");
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n{\"b\":\"é\"}\n");
    assertThat(names()).containsExactly("audit.jsonl", "audit.jsonl.lock");

    audit.close();
    assertThatThrownBy(() -> append(audit, "{}")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void rollsOverBeforeALineWouldPassTheSizeKeepingTheNewestBackups() throws IOException {
    AuditFile audit = audit(1000, 2);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String line = "{\"n\":" + i + ",\"pad\":\"" + "p".repeat(i % 40) + "\"}";
      written.add(line);
      append(audit, line);
    }
    assertThat(names()).containsExactly("audit.1.jsonl", "audit.2.jsonl", "audit.jsonl", "audit.jsonl.lock");
    for (String name : List.of("audit.2.jsonl", "audit.1.jsonl")) {
      // Full: the next line would not have fitted.
      assertThat(Files.size(dir.resolve(name))).as(name).isBetween(1000L - 60, 1000L);
    }
    // The files, oldest first, hold the last lines written, in order and whole.
    List<String> kept = allLines(2);
    assertThat(kept).isEqualTo(written.subList(written.size() - kept.size(), written.size()));
  }

  @Test
  void aLineLongerThanTheSizeGetsAFileOfItsOwn() throws IOException {
    AuditFile audit = audit(100, 3);
    String longLine = "{\"x\":\"" + "y".repeat(300) + "\"}";
    append(audit, "{\"a\":1}");
    append(audit, longLine);
    append(audit, "{\"b\":2}");
    assertThat(Files.readAllLines(dir.resolve("audit.2.jsonl"))).containsExactly("{\"a\":1}");
    assertThat(Files.readAllLines(dir.resolve("audit.1.jsonl"))).containsExactly(longLine);
    assertThat(Files.readAllLines(file())).containsExactly("{\"b\":2}");
  }

  @Test
  void writersInOneProcessSeeEachOthersRollOvers() throws IOException {
    AuditFile first = audit(500, 50);
    AuditFile second = audit(500, 50);
    List<String> written = new ArrayList<>();
    for (long n = 1; n <= 200; n++) {
      String line = line(n % 2 == 0 ? "a" : "b", n);
      written.add(line);
      append(n % 2 == 0 ? first : second, line);
    }
    assertThat(allLines(50)).isEqualTo(written);
  }

  @Test
  void aFileMovedBySomethingElseIsNoticedWithinASecond() throws Exception {
    AuditFile audit = audit(1 << 20, 4);
    append(audit, "{\"a\":1}");
    Files.move(file(), dir.resolve("moved.jsonl"));
    Thread.sleep(1100);
    append(audit, "{\"b\":2}");
    assertThat(Files.readAllLines(file())).containsExactly("{\"b\":2}");
    assertThat(Files.readAllLines(dir.resolve("moved.jsonl"))).containsExactly("{\"a\":1}");
  }

  @Test
  void aWriterKilledBeforeItCountedItsLineLeavesTheSizeShortAndNothingIsOverwritten() throws IOException {
    AuditFile audit = audit(1 << 20, 4);
    append(audit, "{\"a\":1}");
    // What a writer killed between its write and the size update leaves: a line the count lacks.
    Files.writeString(file(), "{\"dead\":1}\n", java.nio.file.StandardOpenOption.APPEND);
    append(audit, "{\"b\":2}");
    assertThat(Files.readAllLines(file())).containsExactly("{\"a\":1}", "{\"dead\":1}", "{\"b\":2}");
  }

  @Test
  void aLineTornByACrashStaysApartFromTheNextOne() throws IOException {
    Files.writeString(file(), "{\"a\":1}\n{\"b\":");
    AuditFile audit = audit(1 << 20, 4);
    append(audit, "{\"c\":3}");
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n{\"b\":\n{\"c\":3}\n");
  }

  @Test
  void anInterruptedCallerStillWritesAndKeepsItsInterrupt() throws IOException {
    AuditFile audit = audit(1 << 20, 4);
    Thread.currentThread().interrupt();
    try {
      for (int i = 0; i < 50; i++) {
        append(audit, "{\"n\":" + i + "}"); // opens the files and writes while interrupted
      }
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(Files.readAllLines(file())).hasSize(50).last().isEqualTo("{\"n\":49}");
  }

  @Test
  void createsTheDirectoryAndFilesForTheOwnerOnly() throws IOException {
    Path nested = dir.resolve("state/tokenwatch");
    AuditFile audit = new AuditFile(nested.resolve("audit.jsonl"), 1 << 20, 4);
    open.add(audit);
    append(audit, "{}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
    try (var files = Files.list(nested)) {
      assertThat(files.toList()).hasSize(2).allSatisfy(file ->
          assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
    }
  }

  @Test
  void everyLineAcknowledgedBeforeAKillIsInTheLog() throws Exception {
    for (int round = 0; round < 3; round++) {
      String writer = "child" + round;
      Process child = startWriter(file().toString(), writer, "0", String.valueOf(Long.MAX_VALUE), "0");
      long acknowledged = 0;
      long stopAt = 200 + ThreadLocalRandom.current().nextInt(5_000);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null && acknowledged < stopAt; line = out.readLine()) {
          acknowledged = Long.parseLong(line);
        }
        child.destroyForcibly(); // SIGKILL: no close, no shutdown hook
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      AuditFile next = audit(Long.MAX_VALUE, 0);
      append(next, "{\"after\":" + round + "}");
      List<String> lines = Files.readAllLines(file());
      assertThat(lines).last().isEqualTo("{\"after\":" + round + "}");
      List<String> fromChild = lines.stream().filter(l -> l.contains("\"" + writer + "\"")).toList();
      // Every acknowledged line, and any later one the child wrote, once, whole and in order.
      assertThat((long) fromChild.size()).isGreaterThanOrEqualTo(acknowledged);
      assertThat(fromChild).isEqualTo(LongStream.rangeClosed(1, fromChild.size()).mapToObj(n -> line(writer, n)).toList());
    }
  }

  @Test
  void processesWriteAndRollOverAtOnceWithoutLosingOrMixingLines() throws Exception {
    List<Process> children = new ArrayList<>();
    for (String name : List.of("p1", "p2", "p3")) {
      children.add(startWriter(file().toString(), name, "2000", "50000", "100"));
    }
    for (Process child : children) {
      child.getInputStream().transferTo(OutputStream.nullOutputStream());
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
    }
    assertThat(names()).contains("audit.5.jsonl").doesNotContain("audit.100.jsonl");
    Map<String, List<String>> byWriter = new TreeMap<>(allLines(100).stream()
        .collect(Collectors.groupingBy(line -> line.substring(11, 13))));
    assertThat(byWriter.keySet()).containsExactly("p1", "p2", "p3");
    byWriter.forEach((writer, lines) -> assertThat(lines)
        .isEqualTo(LongStream.rangeClosed(1, 2000).mapToObj(n -> line(writer, n)).toList()));
  }

  private static Process startWriter(String... args) throws IOException {
    return new ProcessBuilder(JavaCommand.of(List.of(), AuditFileWriterMain.class, args))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
