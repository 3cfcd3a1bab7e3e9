package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command line that cannot be parsed gets the one line that says what is wrong, not the help. */
class UsageErrorsTest {

  @TempDir
  Path dir;

  private CliHarness cli;

  @BeforeEach
  void harness() {
    cli = new CliHarness(dir);
  }

  @Test
  void aMisspeltOptionIsNamedWithTheClosestOneBeforeTheErrorsItCauses() {
    CliHarness.Result result = cli.run("track", "--modle", "gpt-4o", "--input", "1", "--output", "1");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.out()).isEmpty();
    assertThat(result.err()).isEqualTo("tokenwatch: unknown option '--modle' (did you mean --model?)\n"
        + "See 'tokenwatch track --help'.\n");
  }

  @Test
  void aMisspeltCommandIsNamedWithTheClosestOne() {
    CliHarness.Result result = cli.run("stauts");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).isEqualTo("tokenwatch: unknown command 'stauts' (did you mean status?)\n"
        + "See 'tokenwatch --help'.\n");
  }

  @Test
  void aMissingOrBadValueIsOneLineAndWhereHelpIs() {
    assertThat(cli.run("track", "--model", "gpt-4o", "--input", "5").err())
        .isEqualTo("tokenwatch: Missing required option: '--output=N'\nSee 'tokenwatch track --help'.\n");
    assertThat(cli.run("check", "--at-most", "abc").err()).hasLineCount(2)
        .startsWith("tokenwatch: Invalid value for option '--at-most'")
        .endsWith("See 'tokenwatch check --help'.\n").doesNotContain("Usage:");
    assertThat(cli.run("--confg", "x.yaml", "status").err())
        .startsWith("tokenwatch: unknown option '--confg' (did you mean --config?)");
  }

  @Test
  void everyCommandsSummaryInTheHelpIsAWholeSentence() {
    String help = cli.run("--help").out();
    String commands = help.substring(help.indexOf("Commands:\n") + "Commands:\n".length(), help.indexOf("\n\n",
        help.indexOf("Commands:\n")));
    // an entry is "  name  summary", wrapped onto lines indented further
    String[] entries = commands.split("\n(?=  \\S)");
    assertThat(entries).hasSizeGreaterThan(10);
    for (String entry : entries) {
      String summary = entry.trim().replaceAll("\\s+", " ");
      assertThat(summary).as("the summary of '%s' in tokenwatch --help", summary.split(" ")[0]).endsWith(".");
    }
  }
}
