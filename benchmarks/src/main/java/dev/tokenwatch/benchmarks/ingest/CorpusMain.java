package dev.tokenwatch.benchmarks.ingest;

import dev.tokenwatch.ingest.bench.CorpusGenerator;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a deterministic Claude Code corpus of a given number of lines (short content, like the
 * 2,000,000-line memory test) and prints its bytes, lines and token total. Arguments: directory,
 * lines, and optionally files (default 8), the smallest and largest text content of a line (20 and
 * 200 characters) and {@code full} for Claude Code's full envelope (cwd, version, git branch): the
 * whole-process comparison with ccusage uses 1,900 files of content up to 3,000 characters in the
 * full envelope, as a real {@code ~/.claude/projects} tree looks.
 */
public final class CorpusMain {

  private CorpusMain() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long lines = Long.parseLong(args[1]);
    int files = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int minContent = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int maxContent = args.length > 4 ? Integer.parseInt(args[4]) : 200;
    boolean fullEnvelope = args.length > 5 && args[5].equals("full");
    CorpusGenerator.Corpus corpus = new CorpusGenerator(20251128L, minContent, maxContent, fullEnvelope, 3)
        .generate(dir, files, Math.max(1, lines / files));
    System.out.println(corpus.bytes() + " " + corpus.lines() + " " + corpus.expectedTotal());
  }
}
