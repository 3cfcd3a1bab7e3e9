package dev.tokenwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code notifiers}: the list form, the mapping form with {@code giveUpAfter} and {@code waitOnExit}, and errors. */
class NotifiersConfigTest {

  @TempDir
  Path dir;

  private NotifierSettings parse(String yaml) {
    TestEnvironment env = new TestEnvironment(dir);
    env.variables.put("WAIT", "10s");
    return new ConfigLoader(env.environment()).parse(yaml, "config.yaml", dir.resolve("config.yaml")).notifierSettings();
  }

  @Test
  void theDurationsDefaultTo24HoursAnd3SecondsInEveryForm() {
    for (String yaml : List.of("", "notifiers: [{type: console}]\n", "notifiers: {}\n")) {
      NotifierSettings settings = parse(yaml);
      assertThat(settings.giveUpAfter()).as(yaml).isEqualTo(Duration.ofHours(24));
      assertThat(settings.waitOnExit()).as(yaml).isEqualTo(Duration.ofSeconds(3));
      assertThat(settings.sinks()).as(yaml).containsExactly(new NotifierConfig.Console());
    }
    assertThat(parse("notifiers: []\n").sinks()).isEmpty();
    assertThat(parse("notifiers: {sinks: []}\n").sinks()).isEmpty();
  }

  @Test
  void theMappingFormReadsDurationsLikeReservationTimeoutAndTheSinks() {
    NotifierSettings settings = parse("""
        notifiers:
          giveUpAfter: 2h
          waitOnExit: ${WAIT}
          sinks:
            - type: slack
              webhookUrl: https://hooks.slack.com/services/T0/B0/xyz
        """);
    assertThat(settings.giveUpAfter()).isEqualTo(Duration.ofHours(2));
    assertThat(settings.waitOnExit()).isEqualTo(Duration.ofSeconds(10));
    assertThat(((NotifierConfig.Slack) settings.sinks().get(0)).webhookUrl().reveal())
        .isEqualTo("https://hooks.slack.com/services/T0/B0/xyz");
    assertThat(parse("notifiers: {waitOnExit: 0s}\n").waitOnExit()).isZero();
    assertThat(parse("notifiers: {giveUpAfter: 90m}\n").giveUpAfter()).isEqualTo(Duration.ofMinutes(90));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "notifiers: {giveUpAfter: 0h}|config.yaml line 1: notifiers.giveUpAfter must be a positive whole number of "
          + "seconds, minutes or hours such as 90s, 10m or 1h (default 24h), got \"0h\"",
      "notifiers: {giveUpAfter: 1d}|config.yaml line 1: notifiers.giveUpAfter must be a positive whole number of "
          + "seconds, minutes or hours such as 90s, 10m or 1h (default 24h), got \"1d\"",
      "notifiers: {waitOnExit: -1s}|config.yaml line 1: notifiers.waitOnExit must be a whole number of seconds, "
          + "minutes or hours such as 0s, 3s or 1m (default 3s), got \"-1s\"",
      "notifiers: {waitOnExit: soon}|config.yaml line 1: notifiers.waitOnExit must be a whole number of seconds, "
          + "minutes or hours such as 0s, 3s or 1m (default 3s), got \"soon\"",
      "notifiers: {giveUpAftr: 2h}|config.yaml line 1: notifiers.giveUpAftr is not a known key; did you mean "
          + "notifiers.giveUpAfter?",
      "notifiers: {sinks: {type: console}}|config.yaml line 1: notifiers.sinks must be a list such as "
          + "[{type: console}], got a mapping",
      "notifiers: {type: console}|config.yaml line 1: notifiers must be a list such as [{type: console}], or a "
          + "mapping with keys sinks, giveUpAfter, waitOnExit whose sinks is that list; got a mapping with type",
      "notifiers: {sinks: [{type: slack, webhookUrl: 'ftp://x/secret-path'}]}|config.yaml line 1: "
          + "notifiers.sinks[0].webhookUrl must use https, got scheme 'ftp'"})
  void errorsNameFileLineKeyAndValue(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml + "\n")).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  /** The Slack sink's own rule ({@code WebhookAddress}): what it would refuse when it starts, the loader refuses. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://hooks.example.com/services/T0/B0/s3cr3t|must use https; plain http is accepted only for a loopback "
          + "host such as 127.0.0.1 (tests), got http to host 'hooks.example.com'",
      "https://bot:s3cr3t@hooks.slack.com/services/T0/B0/x|must not contain user credentials (user:password@)",
      "https:///services/T0/B0/s3cr3t|must be an absolute URL with a host, such as "
          + "https://hooks.slack.com/services/T0…/***",
      "'https://hooks.slack.com/services/T0/B0/s3cr3t x'|is not a valid URL: Illegal character in path at character "
          + "45 (value not shown: it is a secret)"})
  void aWebhookTheSlackSinkWouldRefuseIsRefusedWithFileLineAndKeyButNotTheSecret(String url, String reason) {
    String yaml = "notifiers:\n  sinks:\n    - type: slack\n      webhookUrl: " + url + "\n";
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
        .hasMessage("config.yaml line 4: notifiers.sinks[0].webhookUrl " + reason)
        .hasMessageNotContaining("s3cr3t");
    // loopback http stays allowed (tests and local relays), as the sink allows it
    assertThat(parse("notifiers: [{type: slack, webhookUrl: 'http://127.0.0.1:9/services/T0/B0/x'}]\n").sinks())
        .hasSize(1);
  }

  @Test
  void theModelHoldsTheRulesForEveryCaller() {
    assertThatThrownBy(() -> new NotifierSettings(List.of(), Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("giveUpAfter must be a positive")
        .hasMessageEndingWith("got 0s");
    assertThatThrownBy(() -> new NotifierSettings(List.of(), Duration.ofHours(1), Duration.ofMillis(500)))
        .hasMessageStartingWith("waitOnExit must be a whole number").hasMessageEndingWith("got 500ms");
    assertThatThrownBy(() -> NotifierSettings.requireGiveUpAfter(Duration.ofMillis(1500)))
        .hasMessageStartingWith("giveUpAfter must be a positive whole number").hasMessageEndingWith("got 1500ms");
    assertThat(NotifierSettings.requireWaitOnExit(Duration.ZERO)).isZero();
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
