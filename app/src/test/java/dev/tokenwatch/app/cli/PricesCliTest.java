package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokenwatch prices}: listing, matching, overrides and {@code --update}. */
class PricesCliTest {

  @TempDir
  Path dir;

  @Test
  void listsTheBuiltInTableWithItsSource() {
    CliHarness.Result result = new CliHarness(dir).run("prices");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("# USD per million tokens; table: @pydantic/genai-prices 0.1.8 (MIT")
        .contains("of 2026-09-23 (built in)\nMODEL ")
        .containsPattern("\nclaude-sonnet-4-5 +- +3 \\(6 above 200000\\) +15 \\(22.5 above 200000\\) "
            + "+3.75 \\(7.5 above 200000\\) +6 \\(12 above 200000\\) +0.3 \\(0.6 above 200000\\) "
            + "+table\n")
        .containsPattern("\nclaude-sonnet-4-6 +2026-03-13 +3 +15 +3.75 +6 +0.3 ");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void namesTheRuleThatMatchedOrUnpriced() {
    CliHarness harness = new CliHarness(dir).config("""
        prices:
          my-llama: {input: 0.2, output: 0.6}
        """);
    CliHarness.Result result = harness.run("prices", "claude-sonnet-4-5-20250929", "anthropic/claude-opus-4-20250514",
        "my-llama", "gpt-17");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("claude-sonnet-4-5-20250929: claude-sonnet-4-5 (normalised), source: @pydantic/genai-prices 0.1.8")
        .contains("anthropic/claude-opus-4-20250514: claude-opus-4-0 (without provider prefix "
            + "claude-opus-4-20250514), source: ")
        .contains("my-llama: my-llama (exact id), source: tokenwatch.yaml line 2\n"
            + "MODEL     FROM  INPUT  OUTPUT  CACHE WRITE  CACHE WRITE 1H  CACHE READ\n"
            + "my-llama  -     0.2    0.6     -            -               -\n")
        .contains("gpt-17: unpriced (no exact id, alias, provider prefix or normalisation matches)");
  }

  @Test
  void aConfigOverrideReplacesTheTablesPricesAndIsListedWithItsLine() {
    CliHarness harness = new CliHarness(dir).config("""
        budget:
          limit: 1000
        prices:
          claude-sonnet-4-5: {input: 2, output: 10}
        """);
    CliHarness.Result list = harness.run("prices");
    assertThat(list.out()).containsPattern("\nclaude-sonnet-4-5 +- +2 +10 +- +- +- +tokenwatch.yaml line 4\n");
    assertThat(harness.run("prices", "claude-sonnet-4-5-20250929").out())
        .contains("claude-sonnet-4-5-20250929: claude-sonnet-4-5 (normalised), source: tokenwatch.yaml line 4");
  }

  @Test
  void updateReplacesTheTableFromANewerSource() throws Exception {
    CliHarness harness = new CliHarness(dir).write("data.json", GenaiPricesConverterTest.SOURCE);
    CliHarness.Result update = harness.run("prices", "--update", "data.json", "--source", "genai-prices 9.9 (MIT)",
        "--date", "2027-01-02");
    assertThat(update.exitCode()).as(update.err()).isZero();
    Path table = dir.resolve("state/tokenwatch/prices.tsv");
    assertThat(update.out()).isEqualTo("wrote 4 models from genai-prices 9.9 (MIT) of 2027-01-02 to " + table
        + " (skipped: 1 ids of an earlier provider, 1 without token prices, 1 time-of-day prices)\n");
    assertThat(Files.readString(table)).startsWith("# tokenwatch price table").contains("# date: 2027-01-02\n");

    CliHarness.Result list = harness.run("prices");
    assertThat(list.out()).startsWith("# USD per million tokens; table: genai-prices 9.9 (MIT) of 2027-01-02 ("
        + table + ")\n").contains("\ngemini-x ").doesNotContain("claude-opus-4-0");
    assertThat(harness.run("prices", "claude-opus-4-0").out()).contains("claude-opus-4-0: unpriced");

    // a malformed source is an error naming the file and the JSON path; the table stays as it was
    String before = Files.readString(table);
    harness.write("bad.json",
        "[{\"id\": \"openai\", \"models\": [{\"id\": \"m\", \"prices\": {\"input_mtok\": true}}]}]");
    CliHarness.Result bad = harness.run("prices", "--update", "bad.json");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).isEqualTo("tokenwatch: bad.json: at $[0].models[0].prices.input_mtok: expected a number "
        + "or {base: number, tiers: [{start, price}]}\n");
    assertThat(Files.readString(table)).isEqualTo(before);
    try (var files = Files.list(table.getParent())) {
      assertThat(files.map(f -> f.getFileName().toString())).doesNotContain(".prices-").allMatch(
          name -> !name.endsWith(".tmp"));
    }
    assertThat(harness.run("prices", "--update", "missing.json").err())
        .isEqualTo("tokenwatch: price source missing.json does not exist\n");
  }

  @Test
  void aBrokenUpdatedTableIsAConfigurationErrorNamingItsLine() {
    CliHarness harness = new CliHarness(dir)
        .write("state/tokenwatch/prices.tsv", "# source: x\n-\tm\t-\tfree\t1\t-\t-\t-\t-\n");
    CliHarness.Result result = harness.run("prices");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("prices.tsv line 2, field input: not a decimal number: \"free\"")
        .contains("delete it for the built-in table");
  }

  @Test
  void configShowsThePrices() {
    CliHarness harness = new CliHarness(dir)
        .config("prices:\n  my-llama: {input: 0.2, output: 0.6, cacheRead: 0.05}\n");
    assertThat(harness.run("config").out())
        .endsWith("prices:\n  my-llama: {input: 0.2, output: 0.6, cacheRead: 0.05}\n");
  }

  @Test
  void optionsOfUpdateNeedUpdate() {
    CliHarness.Result result = new CliHarness(dir).run("prices", "--date", "2026-01-01");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--source, --date and --output need --update FILE");
  }
}
