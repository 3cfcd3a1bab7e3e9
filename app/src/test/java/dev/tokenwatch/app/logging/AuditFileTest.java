package dev.tokenwatch.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.testing.JavaCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditFileTest {

  @TempDir
  Path dir;

  private final List<AuditFile> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(AuditFile::close);
  }

  private AuditFile audit(long maxFileBytes, int backups, int regionBytes) {
    AuditFile file = new AuditFile(() -> dir.resolve("audit.jsonl"), maxFileBytes, backups, regionBytes,
        TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(30));
    open.add(file);
    return file;
  }

  private Path file() {
    return dir.resolve("audit.jsonl");
  }

  @Test
  void linesAreInTheFileAtOnceAndTheMappedTailIsCutWhenTheFileIsReleased() throws IOException {
    AuditFile audit = audit(1 << 20, 4, 4096);
    audit.append("{\"a\":1}");
    audit.append("{\"b\":\"é\"}");
    byte[] held = Files.readAllBytes(file());
    // The mapped region (and the next one, prepared ahead), NUL past the last line.
    assertThat(held.length).isGreaterThanOrEqualTo(4096);
    assertThat(new String(held, 0, 19, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n{\"b\":\"é\"}\n");
    assertThat(java.util.Arrays.copyOfRange(held, 19, held.length)).containsOnly(0);

    audit.release();
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n{\"b\":\"é\"}\n");
    audit.append("{\"c\":3}");
    audit.close();
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n{\"b\":\"é\"}\n{\"c\":3}\n");
  }

  @Test
  void aLineLongerThanTheMappedRegionSpansRegions() throws IOException {
    AuditFile audit = audit(1 << 20, 4, 4096);
    String longLine = "{\"x\":\"" + "y".repeat(10_000) + "\"}";
    audit.append("{\"first\":1}");
    audit.append(longLine);
    audit.append("{\"last\":1}");
    audit.close();
    assertThat(Files.readAllLines(file())).containsExactly("{\"first\":1}", longLine, "{\"last\":1}");
  }

  @Test
  void rollsOverBySizeKeepingTheNewestBackups() throws IOException {
    AuditFile audit = audit(1000, 2, 256);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String line = "{\"n\":" + i + ",\"pad\":\"" + "p".repeat(i % 40) + "\"}";
      written.add(line);
      audit.append(line);
    }
    audit.close();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("audit.jsonl", "audit.1.jsonl", "audit.2.jsonl", "audit.jsonl.lock");
    }
    List<String> kept = new ArrayList<>();
    for (String name : List.of("audit.2.jsonl", "audit.1.jsonl", "audit.jsonl")) {
      byte[] bytes = Files.readAllBytes(dir.resolve(name));
      assertThat(bytes).as(name).doesNotContain((byte) 0).isNotEmpty();
      assertThat(bytes[bytes.length - 1]).as(name).isEqualTo((byte) '\n');
      if (!name.equals("audit.jsonl")) {
        assertThat(bytes.length).as(name).isBetween(1000, 1000 + 60);
      }
      kept.addAll(Files.readAllLines(dir.resolve(name)));
    }
    // The files, oldest first, hold the last lines written, in order and whole.
    assertThat(kept).isEqualTo(written.subList(written.size() - kept.size(), written.size()));
  }

  @Test
  void continuesAfterAWriterThatCrashedWithItsRegionMapped() throws IOException {
    Files.write(file(), concat("{\"a\":1}\n{\"b\":2}\n".getBytes(StandardCharsets.UTF_8), new byte[5000]));
    AuditFile audit = audit(1 << 20, 4, 4096);
    audit.append("{\"c\":3}");
    audit.close();
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n");
  }

  @Test
  void aLineTornByACrashStaysApartFromTheNextOne() throws IOException {
    Files.write(file(), concat("{\"a\":1}\n{\"b\":".getBytes(StandardCharsets.UTF_8), new byte[300]));
    AuditFile audit = audit(1 << 20, 4, 4096);
    audit.append("{\"c\":3}");
    audit.close();
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n{\"b\":\n{\"c\":3}\n");
  }

  @Test
  void anInterruptedCallerStillWritesAndKeepsItsInterrupt() throws IOException {
    AuditFile audit = audit(1 << 20, 4, 256);
    Thread.currentThread().interrupt();
    try {
      for (int i = 0; i < 50; i++) {
        audit.append("{\"n\":" + i + "}"); // several regions: each map() runs interrupted
      }
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    audit.close();
    assertThat(Files.readAllLines(file())).hasSize(50).last().isEqualTo("{\"n\":49}");
  }

  @Test
  void createsTheDirectoryAndFilesForTheOwnerOnly() throws IOException {
    Path nested = dir.resolve("state/tokenwatch");
    AuditFile audit = new AuditFile(() -> nested.resolve("audit.jsonl"), 1 << 20, 4, 4096,
        TimeUnit.SECONDS.toNanos(30), TimeUnit.SECONDS.toNanos(30));
    open.add(audit);
    audit.append("{}");
    audit.close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested.resolve("audit.jsonl"))))
        .isEqualTo("rw-------");
  }

  @Test
  void anIdleWriterGivesTheFileUpOnItsOwn() throws Exception {
    AuditFile audit = new AuditFile(this::file, 1 << 20, 4, 4096, TimeUnit.MILLISECONDS.toNanos(50),
        TimeUnit.SECONDS.toNanos(30));
    open.add(audit);
    audit.append("{\"a\":1}");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Files.size(file()) != 8 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n");
  }

  @Test
  void everyLineAcknowledgedBeforeAKillSurvivesIt() throws Exception {
    for (int round = 0; round < 3; round++) {
      Process child = startWriter(file().toString(), "child", "0", "60000");
      long acknowledged = 0;
      long stopAt = 200 + ThreadLocalRandom.current().nextInt(5000);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null && acknowledged < stopAt; line = out.readLine()) {
          acknowledged = Long.parseLong(line);
        }
        child.destroyForcibly(); // SIGKILL: the file keeps its mapped NUL tail
        child.waitFor(30, TimeUnit.SECONDS);
      }
      AuditFile reader = audit(Long.MAX_VALUE, 0, 4096);
      reader.append("{\"after\":" + round + "}");
      reader.release();
      List<String> lines = Files.readAllLines(file());
      assertThat(lines).last().isEqualTo("{\"after\":" + round + "}");
      List<String> fromThisRound = lines.subList(lines.lastIndexOf("{\"after\":" + (round - 1) + "}") + 1, lines.size() - 1);
      // Every acknowledged line is there, whole and in order, and so is every line the child wrote
      // after it, but the last one may have been torn by the kill (and hold NULs if it was).
      assertThat((long) fromThisRound.size()).isGreaterThanOrEqualTo(acknowledged);
      for (int i = 0; i < fromThisRound.size(); i++) {
        long n = i + 1;
        String expected = "{\"writer\":\"child\",\"n\":" + n + ",\"pad\":\"" + "x".repeat((int) (n % 97)) + "\"}";
        if (n <= acknowledged || i < fromThisRound.size() - 1) {
          assertThat(fromThisRound.get(i)).as("line %d of round %d", n, round).isEqualTo(expected);
        } else {
          assertThat(fromThisRound.get(i)).hasSizeLessThanOrEqualTo(expected.length());
        }
      }
    }
  }

  @Test
  void processesTakeTurnsWithoutLosingOrMixingLines() throws Exception {
    List<Process> children = new ArrayList<>();
    for (String name : List.of("p1", "p2", "p3")) {
      children.add(startWriter(file().toString(), name, "3000", "5"));
    }
    for (Process child : children) {
      child.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
    }
    byte[] bytes = Files.readAllBytes(file());
    assertThat(bytes).doesNotContain((byte) 0);
    Map<String, List<Long>> byWriter = new TreeMap<>(Files.readAllLines(file()).stream()
        .map(line -> line.replaceAll("^\\{\"writer\":\"(p\\d)\",\"n\":(\\d+),\"pad\":\"x*\"}$", "$1 $2"))
        .collect(Collectors.groupingBy(line -> line.split(" ")[0],
            Collectors.mapping(line -> Long.parseLong(line.split(" ")[1]), Collectors.toList()))));
    assertThat(byWriter.keySet()).containsExactly("p1", "p2", "p3");
    for (List<Long> numbers : byWriter.values()) {
      assertThat(numbers).hasSize(3000).isSorted();
    }
  }

  private static Process startWriter(String... args) throws IOException {
    return new ProcessBuilder(JavaCommand.of(List.of(), AuditFileWriterMain.class, args))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
