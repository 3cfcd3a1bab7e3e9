package dev.tokenwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.ingest.bench.CorpusGenerator;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two million Claude Code lines, ingested in a child JVM limited to a 256 MB heap: memory stays flat
 * (the ingest keeps no list of events; the in-memory store keeps one small entry per distinct
 * message) and the totals equal the sum the generator computed independently.
 */
class LargeCorpusTest {

  @TempDir Path dir;

  @Test
  void twoMillionLinesIngestWithin256MbAndAddUpExactly() throws Exception {
    CorpusGenerator.Corpus corpus = new CorpusGenerator(42, 0, 16, false, 8).generate(dir.resolve("corpus"), 4, 500_000);
    assertThat(corpus.lines()).isBetween(2_000_000L, 2_000_020L);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), LargeCorpusMain.class.getName(),
        dir.resolve("corpus").toString(), dir.resolve("state").toString())
        .redirectErrorStream(true).start();
    String output;
    try (var in = child.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    String result = output.lines().filter(l -> l.startsWith("total=")).findFirst().orElseThrow(
        () -> new AssertionError("no result line in child output:" + File.separator + output));
    assertThat(result).contains("total=" + corpus.expectedTotal() + " ")
        .contains("lines=" + corpus.lines() + " ")
        .contains("malformed=0 ")
        .contains("recorded=" + corpus.messages() + " ")
        .contains("tokensAdded=" + corpus.expectedTotal() + " ");
    System.out.println("large corpus: " + corpus.bytes() / 1_000_000 + " MB, " + result);
  }
}
