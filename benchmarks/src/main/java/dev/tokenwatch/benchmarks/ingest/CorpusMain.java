package dev.tokenwatch.benchmarks.ingest;

import dev.tokenwatch.ingest.bench.CorpusGenerator;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a deterministic Claude Code corpus of a given number of lines (short content, like the
 * 2,000,000-line memory test) and prints its bytes, lines and token total. Arguments: directory,
 * lines.
 */
public final class CorpusMain {

  private CorpusMain() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long lines = Long.parseLong(args[1]);
    int files = 8;
    CorpusGenerator.Corpus corpus = new CorpusGenerator(20251128L, 20, 200, false, 3)
        .generate(dir, files, Math.max(1, lines / files));
    System.out.println(corpus.bytes() + " " + corpus.lines() + " " + corpus.expectedTotal());
  }
}
