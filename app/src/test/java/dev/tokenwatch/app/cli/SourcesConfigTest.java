package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.config.SourceConfig;
import dev.tokenwatch.ingest.LogFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sources:} as the CLI reads them: the source types are ingest's formats, and the sources
 * that exist are grouped by format (tokenwatch-config's SourcesConfigTest reads the key itself).
 */
class SourcesConfigTest {

  @TempDir
  Path dir;

  @Test
  void theCliAcceptsExactlyTheFormatsIngestReadsAndEachSourceTypeIsOne() {
    assertThat(Sources.TYPES).containsExactlyElementsOf(Arrays.stream(LogFormat.values()).map(LogFormat::label).toList());
    CliHarness cli = new CliHarness(dir).config("sources: [{type: gemini, path: x}]\n");
    CliHarness.Result result = cli.run("config");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("tokenwatch.yaml line 1: sources[0].type must be one of auto, openai, anthropic, "
        + "claude-code, tokenwatch, codex, got \"gemini\"");
    assertThat(LogFormat.parse(SourceConfig.CLAUDE_CODE)).as("the default sources' type").isEqualTo(LogFormat.CLAUDE_CODE);
    String printed = new CliHarness(dir).config("sources: [{type: Claude_Code, path: logs}]\n").run("config").out();
    assertThat(printed).contains("  - {type: claude-code, path: \"" + dir.resolve("logs") + "\"}");
  }

  @Test
  void aMissingConfiguredSourceIsSelectedAsMissingAndAMissingDefaultIsLeftOut() throws Exception {
    Path existing = Files.createDirectories(dir.resolve("logs"));
    SourceConfig present = new SourceConfig("openai", existing, "a", false);
    SourceConfig gone = new SourceConfig("openai", dir.resolve("gone"), "b", false);
    SourceConfig defaultGone = new SourceConfig("claude-code", dir.resolve("none"), "default", true);
    Sources.Selection selection = Sources.select(List.of(present, gone, defaultGone, present));
    assertThat(selection.groups()).containsExactly(new Sources.Group(LogFormat.OPENAI, List.of(present)));
    assertThat(selection.missing()).containsExactly(gone);
  }
}
