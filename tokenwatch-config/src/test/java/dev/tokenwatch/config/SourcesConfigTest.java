package dev.tokenwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code sources:} in the configuration, its errors, and the Claude Code default without it. */
class SourcesConfigTest {

  @TempDir
  Path dir;

  private TestEnvironment harness() {
    TestEnvironment harness = new TestEnvironment(dir);
    harness.variables.put("LOGS", "/var/log/api");
    return harness;
  }

  private AppConfig parse(TestEnvironment harness, String yaml) {
    return loader(harness).parse(yaml, "tokenwatch.yaml", dir.resolve("conf/tokenwatch.yaml"));
  }

  /** The CLI's source types: the formats ingest reads. */
  private static ConfigLoader loader(TestEnvironment harness) {
    return new ConfigLoader(harness.environment())
        .sourceTypes(List.of("auto", "openai", "anthropic", "claude-code", "tokenwatch", "codex"));
  }

  @Test
  void readsTypesAndPathsWithHomeVariablesAndRelativePaths() {
    AppConfig config = parse(harness(), """
        sources:
          - {type: claude-code, path: ~/.claude/projects}
          - type: openai
            path: ${LOGS}
          - {type: Codex, path: sessions}
        """);
    assertThat(config.sources()).containsExactly(
        new SourceConfig("claude-code", dir.resolve("home/.claude/projects"), "tokenwatch.yaml line 2", false),
        new SourceConfig("openai", Path.of("/var/log/api"), "tokenwatch.yaml line 4", false),
        new SourceConfig("codex", dir.resolve("conf/sessions"), "tokenwatch.yaml line 5", false));
    assertThat(parse(harness(), "sources: []\n").sources()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "sources: {type: openai}|tokenwatch.yaml line 1: sources must be a list such as [{type: claude-code, "
          + "path: ~/.claude/projects}], got a mapping",
      "sources:|tokenwatch.yaml line 1: sources must be a list such as [{type: claude-code, path: "
          + "~/.claude/projects}], got an empty value; write sources: [] for none, or leave the key out for "
          + "Claude Code's log directory",
      "sources: [{type: gemini, path: x}]|tokenwatch.yaml line 1: sources[0].type must be one of auto, openai, "
          + "anthropic, claude-code, tokenwatch, codex, got \"gemini\"",
      "sources: [{path: x}]|tokenwatch.yaml line 1: sources[0].type is missing (one of auto, openai, anthropic, "
          + "claude-code, tokenwatch, codex)",
      "sources: [{type: openai}]|tokenwatch.yaml line 1: sources[0].path is missing: a file or directory of openai "
          + "logs, e.g. ~/.claude/projects",
      "sources: [{type: openai, pth: x}]|tokenwatch.yaml line 1: sources[0].pth is not a known key; did you mean "
          + "sources[0].path?",
      "sources: [{type: openai, path: ''}]|tokenwatch.yaml line 1: sources[0].path must be a file or directory, "
          + "got \"\"",
      "sources: [claude-code]|tokenwatch.yaml line 1: sources[0] must be a mapping with keys such as type, path, "
          + "got a value",
      "sources: [{type: openai, path: '${NOPE}'}]|tokenwatch.yaml line 1: sources[0].path refers to environment "
          + "variable NOPE, which is not set"})
  void errorsNameFileLineKeyAndValue(String yaml, String message) {
    assertThatThrownBy(() -> parse(harness(), yaml + "\n")).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void withoutSourcesTheDefaultIsClaudeCodesDirectoriesOrEachOfClaudeConfigDir() {
    TestEnvironment plain = harness();
    assertThat(parse(plain, "budget: {limit: 10}\n").sources()).containsExactly(
        new SourceConfig("claude-code", dir.resolve("config/claude/projects"), "default", true),
        new SourceConfig("claude-code", dir.resolve("home/.claude/projects"), "default", true));
    TestEnvironment several = harness();
    several.variables.put("CLAUDE_CONFIG_DIR", "/opt/claude-a, ~/claude-b,,");
    AppConfig none = loader(several).load(Optional.empty()); // built-in defaults
    assertThat(none.file()).isEmpty();
    assertThat(none.sources()).containsExactly(
        new SourceConfig("claude-code", Path.of("/opt/claude-a/projects"), "default: $CLAUDE_CONFIG_DIR", true),
        new SourceConfig("claude-code", dir.resolve("home/claude-b/projects"), "default: $CLAUDE_CONFIG_DIR",
            true));
  }

  @Test
  void homeIsTheEnvironmentsHomeWhenSet() {
    assertThat(ConfigEnvironment.home(Map.of("HOME", "/tmp/elsewhere"))).isEqualTo(Path.of("/tmp/elsewhere"));
    assertThat(ConfigEnvironment.home(Map.of("HOME", "relative"))).isEqualTo(Path.of(System.getProperty("user.home")));
    assertThat(ConfigEnvironment.home(Map.of())).isEqualTo(Path.of(System.getProperty("user.home")));
  }

  @Test
  void typesAreReadInTheirCanonicalSpellingAndAnyTypeWithoutAList() {
    assertThat(parse(harness(), "sources: [{type: CLAUDE_CODE, path: x}]\n").sources().get(0).type())
        .isEqualTo("claude-code");
    AppConfig any = new ConfigLoader(harness().environment())
        .parse("sources: [{type: Gemini, path: x}]\n", "t.yaml", dir.resolve("t.yaml"));
    assertThat(any.sources().get(0).type()).isEqualTo("gemini");
  }
}
