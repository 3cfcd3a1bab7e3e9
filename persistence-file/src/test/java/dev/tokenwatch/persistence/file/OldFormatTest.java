package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store written by the format before the ledger is refused with what to do, and left untouched. */
class OldFormatTest {

  @TempDir
  Path directory;

  private Map<String, byte[]> contents(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.toList()) {
        files.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  @Test
  void storeOfTheOlderFormatIsRefusedWithWhatToDoAndLeftUntouched() throws IOException {
    // the files the previous format wrote (snapshot format 2, its de-duplication file, a format-1 journal)
    Path old = Files.createDirectory(directory.resolve("state"));
    Files.writeString(old.resolve("snapshot.json"), "{\"format\":2,\"kind\":\"tokenwatch-snapshot\",\"generation\":3,"
        + "\"dedup\":{\"file\":\"dedup-3.bin\",\"bytes\":24},\"budgets\":[]}\n");
    Files.write(old.resolve("dedup-3.bin"), "twdedup\n\0\0\0\1\0\0\0\0\0\0\0\0\0\0\0\3".getBytes());
    Files.writeString(old.resolve("journal-3.log"),
        "5d1e2c3a {\"format\":1,\"kind\":\"tokenwatch-journal\",\"generation\":3}\n");
    Map<String, byte[]> before = contents(old);

    assertThatThrownBy(() -> new FileUsageStore(old)).isInstanceOf(StoreFileException.class)
        .hasMessageContaining(old.toString())
        .hasMessageContaining("older format")
        .hasMessageContaining("tokenwatch history --json")
        .hasMessageContaining("ingest --format tokenwatch");

    Map<String, byte[]> after = contents(old);
    assertThat(after.keySet()).as("not even a lock file added").isEqualTo(before.keySet());
    after.forEach((name, bytes) -> assertThat(bytes).as(name).isEqualTo(before.get(name)));
  }

  @Test
  void aSnapshotAloneMarksTheOlderFormatToo() throws IOException {
    Path old = Files.createDirectory(directory.resolve("state"));
    Files.writeString(old.resolve("snapshot.json"), "{\"format\":1}\n");
    Files.createFile(old.resolve("tokenwatch.lock"));
    assertThatThrownBy(() -> new FileUsageStore(old)).isInstanceOf(StoreFileException.class)
        .hasMessageContaining("snapshot.json");
    assertThat(contents(old)).containsOnlyKeys("snapshot.json", "tokenwatch.lock");
  }
}
