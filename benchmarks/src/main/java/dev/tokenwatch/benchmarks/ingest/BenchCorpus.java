package dev.tokenwatch.benchmarks.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.tokenwatch.ingest.bench.CorpusGenerator;

/**
 * The benchmark's corpus, generated once per size into a directory (reused by later runs: the
 * generator is deterministic) with a marker file holding its byte and line counts.
 */
public final class BenchCorpus {

  /** Roughly 2.6 KB per line with 0.5 to 4 KB of content. */
  private static final long BYTES_PER_LINE = 2_600;
  static final int FILES = 16;

  private BenchCorpus() {}

  /** The directory holding a corpus of about {@code megabytes} MB, generating it if needed. */
  public static Path directory(int megabytes) {
    String base = System.getProperty("tokenwatch.bench.dir", System.getProperty("java.io.tmpdir"));
    return Path.of(base, "tokenwatch-bench-corpus-" + megabytes + "mb");
  }

  /** Bytes and lines of the corpus, generating it first if it does not exist. */
  public static long[] ensure(int megabytes) {
    Path dir = directory(megabytes);
    Path marker = dir.resolve("corpus.done");
    try {
      if (!Files.exists(marker)) {
        long linesPerFile = Math.max(20, megabytes * 1_000_000L / BYTES_PER_LINE / FILES);
        CorpusGenerator.Corpus corpus = new CorpusGenerator(20250615L, 500, 4000, true, 4)
            .generate(dir.resolve("logs"), FILES, linesPerFile);
        Files.writeString(marker, corpus.bytes() + " " + corpus.lines() + " " + corpus.expectedTotal());
      }
      String[] parts = Files.readString(marker, StandardCharsets.UTF_8).trim().split(" ");
      return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
    } catch (IOException e) {
      throw new UncheckedIOException("cannot generate the benchmark corpus in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The log directory to ingest. */
  public static Path logs(int megabytes) {
    return directory(megabytes).resolve("logs");
  }
}
