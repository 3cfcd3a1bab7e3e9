package dev.tokenwatch.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextProgressBarTest {

  @Test
  void showsTheTimeLeftAtTheCurrentRateWhileThereIsSomeLeft() {
    assertThat(TextProgressBar.render(100_000_000, 1_000_000_000, 10_000_000_000L))
        .isEqualTo("[###                           ]  10%  100.0 / 1000.0 MB  10.0 MB/s  ETA 1:30");
    assertThat(TextProgressBar.render(1_000_000, 100_000_000_000L, 1_000_000_000)).endsWith("ETA 27:46:39");
    assertThat(TextProgressBar.render(0, 100, 1_000_000_000)).doesNotContain("ETA"); // no rate yet
    assertThat(TextProgressBar.render(100, 100, 1_000_000_000)).endsWith("MB/s"); // done
    assertThat(TextProgressBar.render(100, -1, 1_000_000_000)).doesNotContain("ETA"); // stdin: no total
    assertThat(TextProgressBar.clock(59)).isEqualTo("0:59");
    assertThat(TextProgressBar.clock(3600)).isEqualTo("1:00:00");
  }

  @Test
  void otherTextOnASharedLineClearsTheBarAndTheBarComesBackBelowIt() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    PrintStream shared = TextProgressBar.sharedLine(terminal);
    assertThat(TextProgressBar.sharedLine(shared)).isSameAs(shared);
    TextProgressBar bar = new TextProgressBar(shared);
    bar.progress(10, 100);
    shared.println("⚠ WARNING  an alert");
    bar.progress(20, 100); // within 100 ms, but the bar was cleared: drawn again at once
    String text = bytes.toString(StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    assertThat(lines).hasSize(2);
    // the alert's line: the bar, then spaces over it, then the alert from the first column
    String barText = lines[0].substring(1, lines[0].indexOf('\r', 1));
    assertThat(lines[0]).isEqualTo("\r" + barText + "\r" + " ".repeat(barText.length()) + "\r⚠ WARNING  an alert");
    assertThat(lines[1]).startsWith("\r[######").contains(" 20%");
  }

  @Test
  void aPlainStreamGetsTheBarAsBefore() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream plain = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    TextProgressBar bar = new TextProgressBar(plain);
    bar.progress(10, 100);
    plain.println("text");
    // nothing to clear it with: the text follows the bar, as it did before shared lines
    assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("\r[###").endsWith("text\n")
        .doesNotContain("\r ").doesNotContain("\n[");
  }
}
