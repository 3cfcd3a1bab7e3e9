package dev.tokenwatch.app.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.testing.JavaCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  void closeAll() {
    open.forEach(AuditFile::close);
  }

  private AuditFile audit(long maxFileBytes, int backups, int ringBytes) {
    AuditFile file = new AuditFile(this::file, maxFileBytes, backups, ringBytes);
    open.add(file);
    return file;
  }

  private Path file() {
    return dir.resolve("audit.jsonl");
  }

  static String line(String writer, long n) {
    return "{\"writer\":\"" + writer + "\",\"n\":" + n + ",\"pad\":\"" + "x".repeat((int) (n % 97)) + "\"}";
  }

  private List<String> names() throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private List<String> rings() throws IOException {
    return names().stream().filter(name -> name.endsWith(".ring")).toList();
  }

  @Test
  void linesReachTheFileInOrderAndTheRingGoesAtClose() throws IOException {
    AuditFile audit = audit(1 << 20, 4, 4096);
    audit.append("{\"a\":1}");
    audit.append("{\"b\":\"é\"}");
    audit.awaitCopied();
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n{\"b\":\"é\"}\n");
    assertThat(rings()).singleElement().asString().matches("audit\\.jsonl\\." + ProcessHandle.current().pid() + "-\\d+\\.ring");

    audit.append("{\"c\":3}");
    audit.close();
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n{\"b\":\"é\"}\n{\"c\":3}\n");
    assertThat(names()).containsExactly("audit.jsonl", "audit.jsonl.lock");
  }

  @Test
  void theRingWrapsAroundAndWaitsForTheCopierWithoutLosingOrTearingALine() throws IOException {
    AuditFile audit = audit(1 << 24, 4, 300);
    for (long n = 1; n <= 5000; n++) {
      audit.append(line("w", n));
    }
    audit.close();
    assertThat(Files.readAllLines(file()))
        .isEqualTo(LongStream.rangeClosed(1, 5000).mapToObj(n -> line("w", n)).toList());
  }

  @Test
  void aTextLargerThanTheRingGoesInPiecesOfWholeLinesAndALongerLineIsRefused() throws IOException {
    AuditFile audit = audit(1 << 20, 4, 1024);
    List<String> batch = LongStream.rangeClosed(1, 100).mapToObj(n -> line("batch", n)).toList();
    audit.append(String.join("\n", batch));
    assertThatThrownBy(() -> audit.append("{\"x\":\"" + "y".repeat(2000) + "\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than 1023 bytes");
    audit.append("{\"last\":1}");
    audit.close();
    List<String> expected = new ArrayList<>(batch);
    expected.add("{\"last\":1}");
    assertThat(Files.readAllLines(file())).isEqualTo(expected);
  }

  @Test
  void rollsOverBeforeALineWouldPassTheSizeKeepingTheNewestBackups() throws IOException {
    AuditFile audit = audit(1000, 2, 256);
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String line = "{\"n\":" + i + ",\"pad\":\"" + "p".repeat(i % 40) + "\"}";
      written.add(line);
      audit.append(line);
    }
    audit.close();
    assertThat(names()).containsExactly("audit.1.jsonl", "audit.2.jsonl", "audit.jsonl", "audit.jsonl.lock");
    List<String> kept = new ArrayList<>();
    for (String name : List.of("audit.2.jsonl", "audit.1.jsonl", "audit.jsonl")) {
      byte[] bytes = Files.readAllBytes(dir.resolve(name));
      assertThat(bytes).as(name).doesNotContain((byte) 0).isNotEmpty();
      assertThat(bytes[bytes.length - 1]).as(name).isEqualTo((byte) '\n');
      if (!name.equals("audit.jsonl")) {
        assertThat(bytes.length).as(name).isBetween(1000 - 60, 1000); // the next line would not have fitted
      }
      kept.addAll(Files.readAllLines(dir.resolve(name)));
    }
    // The files, oldest first, hold the last lines written, in order and whole.
    assertThat(kept).isEqualTo(written.subList(written.size() - kept.size(), written.size()));
  }

  @Test
  void continuesAfterAWriterOfThePreviousFormatThatCrashedWithItsRegionMapped() throws IOException {
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
        audit.append("{\"n\":" + i + "}"); // opens the files and waits for room while interrupted
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
    AuditFile audit = new AuditFile(() -> nested.resolve("audit.jsonl"), 1 << 20, 4, 4096);
    open.add(audit);
    audit.append("{}");
    audit.awaitCopied();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
    try (var files = Files.list(nested)) {
      for (Path file : files.toList()) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void theLinesLeftInTheRingOfAWriterThatDiedAreCopiedOnceByTheNextWriter() throws IOException {
    Files.writeString(file(), "{\"before\":1}\n");
    AuditRing dead = AuditRing.create(dir.resolve("audit.jsonl.424242-0.ring"), 256);
    for (long n = 1; n <= 3; n++) {
      byte[] bytes = line("dead", n).getBytes(StandardCharsets.UTF_8);
      dead.put(bytes, 0, bytes.length);
      dead.putLineBreak();
      dead.commit();
    }
    byte[] uncommitted = "{\"torn\":".getBytes(StandardCharsets.UTF_8);
    dead.put(uncommitted, 0, uncommitted.length); // the writer died mid-line: not a line yet
    dead.abandon();

    AuditFile next = audit(1 << 20, 4, 4096);
    next.append("{\"after\":1}");
    next.close();
    assertThat(Files.readAllLines(file())).containsExactly("{\"before\":1}", line("dead", 1), line("dead", 2),
        line("dead", 3), "{\"after\":1}");
    assertThat(rings()).isEmpty();
  }

  @Test
  void aCopyThatAKillCutShortIsFinishedAndOneThatCompletedIsNotRepeated() throws IOException {
    // Cut short: the first 10 bytes of the copy reached the log.
    writeDeadRing("audit.jsonl.424242-1.ring", 10);
    AuditFile first = audit(1 << 20, 4, 4096);
    first.append("{\"after\":1}");
    first.close();
    assertThat(Files.readAllLines(file())).containsExactly(line("dead", 1), line("dead", 2), "{\"after\":1}");

    // Completed, but the kill came before the ring recorded it.
    Files.delete(file());
    writeDeadRing("audit.jsonl.424242-2.ring", Integer.MAX_VALUE);
    AuditFile second = audit(1 << 20, 4, 4096);
    second.append("{\"after\":2}");
    second.close();
    assertThat(Files.readAllLines(file())).containsExactly(line("dead", 1), line("dead", 2), "{\"after\":2}");

    // Completed, and another writer rolled the log over before the ring was looked at again.
    Files.delete(file());
    writeDeadRing("audit.jsonl.424242-3.ring", Integer.MAX_VALUE);
    Files.move(file(), dir.resolve("audit.1.jsonl"));
    AuditFile third = audit(1 << 20, 4, 4096);
    third.append("{\"after\":3}");
    third.close();
    assertThat(Files.readAllLines(dir.resolve("audit.1.jsonl"))).containsExactly(line("dead", 1), line("dead", 2));
    assertThat(Files.readAllLines(file())).containsExactly("{\"after\":3}");
    assertThat(rings()).isEmpty();
  }

  /** A ring of a writer killed while copying two lines into an empty log, {@code copiedBytes} of them written. */
  private void writeDeadRing(String name, int copiedBytes) throws IOException {
    AuditRing dead = AuditRing.create(dir.resolve(name), 512);
    byte[] lines = (line("dead", 1) + "\n" + line("dead", 2) + "\n").getBytes(StandardCharsets.UTF_8);
    dead.put(lines, 0, lines.length);
    dead.commit();
    dead.beginCopy(lines.length, 0);
    try (FileChannel log = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      log.write(ByteBuffer.wrap(lines, 0, Math.min(copiedBytes, lines.length)), 0);
    }
    dead.abandon();
  }

  @Test
  void aRingThatCannotBeReadIsLeftAsItIsAndTheLogGoesOn() throws IOException {
    Path strange = dir.resolve("audit.jsonl.424242-9.ring");
    byte[] bytes = new byte[8192];
    bytes[0] = 1; // not the ring's magic number
    Files.write(strange, bytes);
    AuditFile audit = audit(1 << 20, 4, 4096);
    audit.append("{\"a\":1}");
    audit.close();
    assertThat(Files.readString(file())).isEqualTo("{\"a\":1}\n");
    assertThat(Files.readAllBytes(strange)).isEqualTo(bytes);
  }

  @Test
  void everyLineAcknowledgedBeforeAKillIsInTheLogOnceAfterTheNextWriterStarts() throws Exception {
    for (int round = 0; round < 4; round++) {
      // Even rounds hold the log's lock, so the child's copier waits and every line is still in its
      // ring at the kill; odd rounds let it copy, so the kill may come at any point of a copy.
      FileChannel lockFile = FileChannel.open(dir.resolve("audit.jsonl.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock held = round % 2 == 0 ? lockFile.lock() : null;
      Process child = startWriter(file().toString(), "child" + round, "0", String.valueOf(4 << 20));
      long acknowledged = 0;
      long stopAt = 200 + ThreadLocalRandom.current().nextInt(20_000);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null && acknowledged < stopAt; line = out.readLine()) {
          acknowledged = Long.parseLong(line);
        }
        child.destroyForcibly(); // SIGKILL: the child's ring stays behind
        child.waitFor(30, TimeUnit.SECONDS);
      }
      if (held != null) {
        assertThat(Files.exists(file()) ? Files.readString(file()) : "").doesNotContain("child" + round);
      }
      lockFile.close();
      AuditFile next = audit(Long.MAX_VALUE, 0, 4096);
      next.append("{\"after\":" + round + "}");
      next.close();
      List<String> lines = Files.readAllLines(file());
      assertThat(lines).last().isEqualTo("{\"after\":" + round + "}");
      String writer = "child" + round;
      List<String> fromChild = lines.stream().filter(l -> l.contains("\"" + writer + "\"")).toList();
      // Every acknowledged line, and every later one the child finished, once, whole and in order.
      assertThat((long) fromChild.size()).isGreaterThanOrEqualTo(acknowledged);
      assertThat(fromChild).isEqualTo(LongStream.rangeClosed(1, fromChild.size()).mapToObj(n -> line(writer, n)).toList());
      assertThat(rings()).as("round %d", round).isEmpty();
    }
  }

  @Test
  void processesWriteAtOnceWithoutLosingOrMixingLines() throws Exception {
    List<Process> children = new ArrayList<>();
    for (String name : List.of("p1", "p2", "p3")) {
      children.add(startWriter(file().toString(), name, "3000", "4096"));
    }
    for (Process child : children) {
      child.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(child.exitValue()).isZero();
    }
    Map<String, List<String>> byWriter = new TreeMap<>(Files.readAllLines(file()).stream()
        .collect(Collectors.groupingBy(line -> line.substring(11, 13))));
    assertThat(byWriter.keySet()).containsExactly("p1", "p2", "p3");
    byWriter.forEach((writer, lines) -> assertThat(lines)
        .isEqualTo(LongStream.rangeClosed(1, 3000).mapToObj(n -> line(writer, n)).toList()));
    assertThat(rings()).isEmpty();
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
