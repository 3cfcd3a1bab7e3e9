package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.app.Main;
import dev.tokenwatch.app.env.AppEnvironment;
import dev.tokenwatch.app.view.Terminal;
import dev.tokenwatch.domain.testing.JavaCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The width text fits and whether blocks show: COLUMNS, else the terminal's width on a terminal (80
 * when it cannot be read), else no limit; UTF-8 from LC_ALL, LC_CTYPE or LANG. And in a real
 * pseudo-terminal ({@code script}), {@code report daily} finds its width with {@code stty}.
 */
class TerminalTest {

  @TempDir
  Path dir;

  private AppEnvironment env(boolean terminal, Map<String, String> variables) {
    CliHarness harness = new CliHarness(dir);
    harness.variables.remove("LANG"); // only the locale given
    harness.variables.putAll(variables);
    harness.terminal = terminal;
    return harness.environment();
  }

  @Test
  void columnsWinsThenTheTerminalThenEightyAndPipesHaveNoLimit() {
    AtomicInteger asked = new AtomicInteger();
    java.util.function.Supplier<OptionalInt> probe = () -> {
      asked.incrementAndGet();
      return OptionalInt.of(132);
    };
    assertThat(Terminal.of(env(true, Map.of("COLUMNS", "57")), probe).width()).isEqualTo(57);
    assertThat(Terminal.of(env(false, Map.of("COLUMNS", "57")), probe).width()).isEqualTo(57);
    assertThat(asked).hasValue(0);
    assertThat(Terminal.of(env(true, Map.of()), probe).width()).isEqualTo(132);
    assertThat(Terminal.of(env(true, Map.of("COLUMNS", "wide")), probe).width()).isEqualTo(132);
    assertThat(Terminal.of(env(true, Map.of("COLUMNS", "0")), probe).width()).isEqualTo(132);
    assertThat(asked).hasValue(3);
    assertThat(Terminal.of(env(true, Map.of()), OptionalInt::empty).width()).isEqualTo(Terminal.DEFAULT_WIDTH);
    assertThat(Terminal.of(env(false, Map.of()), probe).width()).isEqualTo(Terminal.UNLIMITED);
    assertThat(asked).as("no terminal: nothing asked").hasValue(3);
  }

  @Test
  void blocksOnlyWhereTheLocaleSaysUtf8() {
    assertThat(Terminal.unicode(env(false, Map.of("LANG", "en_US.UTF-8")))).isTrue();
    assertThat(Terminal.unicode(env(false, Map.of("LANG", "de_DE.utf8")))).isTrue();
    assertThat(Terminal.unicode(env(false, Map.of("LC_CTYPE", "C.UTF-8", "LANG", "C")))).isTrue();
    assertThat(Terminal.unicode(env(false, Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8")))).isFalse();
    assertThat(Terminal.unicode(env(false, Map.of("LANG", "en_US.ISO-8859-1")))).isFalse();
    assertThat(Terminal.unicode(env(false, Map.of()))).isFalse();
  }

  @Test
  void sttySizeIsRowsThenColumns() {
    assertThat(Terminal.parseSttySize("24 80\n")).hasValue(80);
    assertThat(Terminal.parseSttySize("50 213")).hasValue(213);
    assertThat(Terminal.parseSttySize("0 91\n")).hasValue(91);
    assertThat(Terminal.parseSttySize("0 0\n")).isEmpty();
    assertThat(Terminal.parseSttySize("stty: 'standard input': Inappropriate ioctl for device")).isEmpty();
    assertThat(Terminal.parseSttySize("")).isEmpty();
  }

  /** In a pseudo-terminal of 57 columns and no COLUMNS, the real command's table fits 57 columns. */
  @Test
  void reportDailyInARealTerminalFitsItsWidth() throws Exception {
    CliHarness cli = new CliHarness(dir);
    cli.config("budget: {name: team, limit: 300000000, period: monthly}\nstore: {type: file, path: usage}\n"
        + "notifiers: []\n");
    for (String at : new String[] {"2026-11-13T10:00:00Z", "2026-11-15T09:00:00Z"}) {
      assertThat(cli.run("track", "--model", "gpt-4o", "--input", "40000000", "--output", "8000000", "--at", at)
          .exitCode()).isZero();
    }
    List<String> java = JavaCommand.of(List.of("-XX:+UseSerialGC", "-Xshare:auto"), Main.class, "report", "daily",
        "--no-ingest");
    String command = "stty cols 57 rows 30 && exec env -u COLUMNS LANG=C.UTF-8 "
        + java.stream().map(TerminalTest::shellQuoted).collect(Collectors.joining(" "));
    Path out = dir.resolve("typescript.out");
    ProcessBuilder builder = new ProcessBuilder("script", "-qec", command, "/dev/null").directory(dir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(out.toFile()).redirectErrorStream(true);
    builder.environment().putAll(cli.variables);
    builder.environment().put("HOME", dir.toString());
    builder.environment().remove("CLAUDE_CONFIG_DIR");
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("script ended").isTrue();
    String text = Files.readString(out, StandardCharsets.UTF_8).replace("\r\n", "\n");
    assertThat(process.exitValue()).as(text).isZero();
    List<String> table = new ArrayList<>(text.lines().dropWhile(l -> !l.startsWith("Period")).toList());
    assertThat(table).as(text).isNotEmpty();
    assertThat(table.get(0)).isEqualTo("Period       Model   Output  Total  Calls  Cost (USD)");
    assertThat(table).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(57));
    assertThat(text).contains("2026-11-13  ").contains("│");
  }

  @Test
  void withoutAControllingTerminalTheProbeHasNoAnswer() throws Exception {
    // this JVM's children have /dev/tty only when the build runs in a terminal; setsid takes it away
    List<String> java = JavaCommand.of(List.of("-XX:+UseSerialGC"), ProbeMain.class);
    List<String> command = new ArrayList<>(List.of("setsid", "-w"));
    command.addAll(java);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
        .isEqualTo("OptionalInt.empty");
  }

  /** Prints what the probe finds. */
  static final class ProbeMain {
    public static void main(String[] args) {
      System.out.println(Terminal.ttyColumns());
    }
  }

  private static String shellQuoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
