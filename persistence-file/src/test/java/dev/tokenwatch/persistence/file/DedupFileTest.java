package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The de-duplication file on its own: lookups through index and filter, the merge cursor, damage. */
class DedupFileTest {

  private static final Instant[] PERIODS = {Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z")};
  private static final String[] MODELS = {"m0", "m1", "m2"};

  @TempDir
  Path directory;

  private static BudgetState.Counted counted(long key) {
    int k = (int) (key & 0xffff);
    return new BudgetState.Counted(PERIODS[k % 2], MODELS[k % 3], k, 2L * k, 3, 4, 3L * k + 7);
  }

  /** Writes one file with one section per key set; returns the infos. */
  private List<DedupFile.SectionInfo> write(Path file, long generation, List<TreeSet<Long>> sections) throws IOException {
    List<DedupFile.SectionInfo> infos = new ArrayList<>();
    try (OutputStream out = Files.newOutputStream(file)) {
      DedupFile.Writer writer = new DedupFile.Writer(out, generation);
      for (TreeSet<Long> keys : sections) {
        writer.begin(keys.size());
        for (long key : keys) {
          int k = (int) (key & 0xffff);
          writer.add(key, k % 2, k % 3, counted(key));
        }
        infos.add(writer.end());
      }
      assertThat(writer.size()).isEqualTo(24 + infos.stream().mapToLong(DedupFile.SectionInfo::bytes).sum());
    }
    return infos;
  }

  private static TreeSet<Long> randomKeys(Random random, int n) {
    TreeSet<Long> keys = new TreeSet<>();
    while (keys.size() < n) {
      keys.add(random.nextLong());
    }
    return keys;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 63, 64, 65, 200, 10_000})
  void everyKeyIsFoundWithItsEntryAndAbsentKeysAreNot(int n) throws IOException {
    Random random = new Random(n);
    TreeSet<Long> keys = randomKeys(random, n);
    if (n >= 2) {
      keys.pollFirst();
      keys.pollLast();
      keys.add(Long.MIN_VALUE); // signed order at both ends
      keys.add(Long.MAX_VALUE);
    }
    TreeSet<Long> other = randomKeys(new Random(-n - 1), 50);
    Path file = directory.resolve("dedup-3.bin");
    List<DedupFile.SectionInfo> infos = write(file, 3, List.of(other, keys));
    try (DedupFile dedup = DedupFile.open(file, 3, Files.size(file))) {
      DedupFile.Section section = dedup.section(infos.get(1), PERIODS, MODELS);
      for (long key : keys) {
        assertThat(section.find(key)).as("key %d", key).isEqualTo(counted(key));
      }
      for (long key : other) {
        assertThat(section.find(key)).as("key %d of the other section", key).isNull();
      }
      for (int i = 0; i < 10_000; i++) {
        long absent = random.nextLong();
        if (!keys.contains(absent)) {
          assertThat(section.find(absent)).isNull();
        }
      }
      List<Long> streamed = new ArrayList<>();
      DedupFile.Cursor cursor = section.cursor();
      while (cursor.advance()) {
        streamed.add(cursor.key());
        assertThat(cursor.counted()).isEqualTo(counted(cursor.key()));
      }
      assertThat(cursor.advance()).isFalse();
      assertThat(streamed).containsExactlyElementsOf(keys);
    }
  }

  @Test
  void damagedRecordIsRefusedByTheMergeNamingFileAndSection() throws IOException {
    TreeSet<Long> keys = randomKeys(new Random(7), 1_000);
    Path file = directory.resolve("dedup-1.bin");
    DedupFile.SectionInfo info = write(file, 1, List.of(keys)).get(0);
    // Change one token count in record 500: order and indexes stay valid, only the checksum tells.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(8).putLong(0, 123_456_789L), info.offset() + 500L * 56 + 16);
    }
    try (DedupFile dedup = DedupFile.open(file, 1, Files.size(file))) {
      DedupFile.Cursor cursor = dedup.section(info, PERIODS, MODELS).cursor();
      assertThatThrownBy(() -> {
        while (cursor.advance()) {
          // read to the end, where the checksum is compared
        }
      }).isInstanceOf(StoreFileException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("checksum");
    }
  }

  @Test
  void recordNamingAnUnknownModelIsRefusedOnLookup() throws IOException {
    TreeSet<Long> keys = randomKeys(new Random(9), 100);
    Path file = directory.resolve("dedup-1.bin");
    DedupFile.SectionInfo info = write(file, 1, List.of(keys)).get(0);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(4).putInt(0, 99), info.offset() + 12); // model index of record 0
    }
    try (DedupFile dedup = DedupFile.open(file, 1, Files.size(file))) {
      DedupFile.Section section = dedup.section(info, PERIODS, MODELS);
      assertThatThrownBy(() -> section.find(keys.first()))
          .isInstanceOf(StoreFileException.class)
          .hasMessageContaining(file + " at byte offset " + info.offset())
          .hasMessageContaining("model 99");
    }
  }

  @Test
  void fileOfAnotherSizeOrGenerationIsRefused() throws IOException {
    Path file = directory.resolve("dedup-2.bin");
    write(file, 2, List.of(randomKeys(new Random(1), 10)));
    long size = Files.size(file);
    assertThatThrownBy(() -> DedupFile.open(file, 2, size + 56))
        .isInstanceOf(StoreFileException.class).hasMessageContaining("the snapshot says " + (size + 56));
    assertThatThrownBy(() -> DedupFile.open(file, 3, size))
        .isInstanceOf(StoreFileException.class).hasMessageContaining("generation 2");
    assertThatThrownBy(() -> DedupFile.open(directory.resolve("dedup-9.bin"), 9, size))
        .isInstanceOf(StoreFileException.class).hasMessageContaining("is missing");
  }

  @Test
  void writerRefusesKeysOutOfOrder() throws IOException {
    try (OutputStream out = Files.newOutputStream(directory.resolve("x.bin"))) {
      DedupFile.Writer writer = new DedupFile.Writer(out, 0);
      writer.begin(2);
      writer.add(5, 0, 0, counted(5));
      assertThatThrownBy(() -> writer.add(5, 0, 0, counted(5))).isInstanceOf(IllegalStateException.class);
    }
  }
}
