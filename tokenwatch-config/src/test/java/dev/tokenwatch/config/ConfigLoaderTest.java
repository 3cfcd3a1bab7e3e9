package dev.tokenwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.BudgetPeriod;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  private AppConfig parse(String yaml) {
    TestEnvironment harness = new TestEnvironment(dir);
    harness.variables.put("DB_PASSWORD", "s3cret");
    harness.variables.put("EMPTY", "");
    return new ConfigLoader(harness.environment()).parse(yaml, "config.yaml", dir.resolve("config.yaml"));
  }

  @Test
  void readsEveryKey() {
    AppConfig config = parse("""
        budget:
          name: team-a
          limit: 2_000_000
          period: weekly
          alertThresholds: [0.5, "90%", 1.2]
          zone: Europe/Berlin
          historySize: 500
        store:
          type: jdbc
          url: jdbc:postgresql://db/tokens
          user: tw
          password: ${DB_PASSWORD}
          schema: tokenwatch
        notifiers:
          - type: console
          - type: slack
            webhookUrl: ${HOOK:-https://hooks.slack.com/services/T0/B0/xyz}
        """);
    assertThat(config.budget().name()).isEqualTo("team-a");
    assertThat(config.budget().limit()).isEqualTo(2_000_000);
    assertThat(config.budget().period()).isEqualTo(BudgetPeriod.WEEKLY);
    assertThat(config.budget().alertThresholds()).containsExactly(0.5, 0.9, 1.2);
    assertThat(config.budget().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(config.budget().historySize()).isEqualTo(500);
    StoreConfig.Jdbc jdbc = (StoreConfig.Jdbc) config.store();
    assertThat(jdbc.url()).isEqualTo("jdbc:postgresql://db/tokens");
    assertThat(jdbc.user()).contains("tw");
    assertThat(jdbc.password().orElseThrow().reveal()).isEqualTo("s3cret");
    assertThat(jdbc.schema()).contains("tokenwatch");
    assertThat(config.notifiers()).hasSize(2);
    assertThat(((NotifierConfig.Slack) config.notifiers().get(1)).webhookUrl().reveal())
        .isEqualTo("https://hooks.slack.com/services/T0/B0/xyz");
    assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("xyz");
  }

  @Test
  void missingSectionsTakeDefaults() {
    AppConfig config = parse("budget:\n  limit: 5000\n");
    assertThat(config.budget().limit()).isEqualTo(5000);
    assertThat(config.budget().period()).isEqualTo(BudgetPeriod.MONTHLY);
    assertThat(config.store()).isEqualTo(new StoreConfig.File(dir.resolve("state/tokenwatch")));
    assertThat(config.notifiers()).containsExactly(new NotifierConfig.Console());
    assertThat(parse("").budget()).isEqualTo(AppConfig.defaultBudget());
  }

  @Test
  void relativeStorePathIsResolvedAgainstTheConfigFile() {
    AppConfig config = parse("store:\n  type: file\n  path: data/usage\n");
    assertThat(config.store()).isEqualTo(new StoreConfig.File(dir.resolve("data/usage")));
  }

  @Test
  void literalDollarBraceIsEscapedByDoubling() {
    assertThat(parse("store:\n  type: jdbc\n  url: jdbc:h2:mem:x\n  password: a$${b}\n").store())
        .satisfies(s -> assertThat(((StoreConfig.Jdbc) s).password().orElseThrow().reveal()).isEqualTo("a${b}"));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("budget:\n  name: x\n  period: monthly\n  limit: -5\n",
            "config.yaml line 4: budget.limit must be a positive whole number of tokens such as 1000000, or US "
                + "dollars such as 250 USD, got \"-5\""),
        Arguments.of("budget:\n  limit: 1.5\n",
            "config.yaml line 2: budget.limit must be a positive whole number of tokens such as 1000000, or US "
                + "dollars such as 250 USD, got \"1.5\""),
        Arguments.of("budget:\n  limit: ${LIMIT}\n",
            "config.yaml line 2: budget.limit refers to environment variable LIMIT, which is not set"),
        Arguments.of("budget:\n  limit: ${LIMIT\n",
            "config.yaml line 2: budget.limit has a malformed variable reference; write ${NAME} or "
                + "${NAME:-default} (or $${ for a literal ${)"),
        Arguments.of("budget:\n  limt: 5\n",
            "config.yaml line 2: budget.limt is not a known key; did you mean budget.limit?"),
        Arguments.of("budgett:\n  limit: 5\n",
            "config.yaml line 1: budgett is not a known key; did you mean budget?"),
        Arguments.of("colour: red\n",
            "config.yaml line 1: colour is not a known key (known keys: budget, budgets, store, notifiers, prices, "
                + "reservationTimeout, sources)"),
        Arguments.of("budget:\n  period: yearly\n",
            "config.yaml line 2: budget.period must be one of daily, weekly, monthly, got \"yearly\""),
        Arguments.of("budget:\n  zone: Mars/Olympus\n",
            "config.yaml line 2: budget.zone must be a time zone id such as UTC or Europe/Berlin, got \"Mars/Olympus\""),
        Arguments.of("budget:\n  historySize: 0\n",
            "config.yaml line 2: budget.historySize must be a whole number from 1 to 100000, got \"0\""),
        Arguments.of("budget:\n  name: my budget\n",
            "config.yaml line 2: budget.name must be 1 to 100 letters, digits, '.', '_' or '-', got \"my budget\""),
        Arguments.of("budget:\n  alertThresholds: 0.5\n",
            "config.yaml line 2: budget.alertThresholds must be a list such as [0.5, 0.7, 0.8, 1.0], got \"0.5\""),
        Arguments.of("budget:\n  alertThresholds: []\n",
            "config.yaml line 2: budget.alertThresholds must list at least one threshold, got an empty list"),
        Arguments.of("budget:\n  alertThresholds:\n    - 0.5\n    - lots\n",
            "config.yaml line 4: budget.alertThresholds[1] must be a ratio such as 0.8 or a percentage such as "
                + "80%, got \"lots\""),
        Arguments.of("budget:\n  alertThresholds: [0.5, 11]\n",
            "config.yaml line 2: budget.alertThresholds[1] must be above 0 and at most 10 (1000%), for 11% write 0.11 or "
                + "11%, got \"11\""),
        Arguments.of("budget: [1, 2]\n",
            "config.yaml line 1: budget must be a mapping with keys such as name, limit, limitUsd, period, "
                + "alertThresholds, zone, historySize, scope, forecastThresholds, forecastMinimum, mode, got a list"),
        Arguments.of("budget:\n  limit:\n",
            "config.yaml line 2: budget.limit must be a single value, got an empty value"),
        Arguments.of("budget:\n  limit: 5\n  limit: 6\n",
            "config.yaml line 3: budget.limit is given twice (also on line 2)"),
        Arguments.of("store:\n  path: /tmp/x\n",
            "config.yaml line 1: store.type is missing (one of file, jdbc, memory)"),
        Arguments.of("store:\n  type: redis\n",
            "config.yaml line 2: store.type must be one of file, jdbc, memory, got \"redis\""),
        Arguments.of("store:\n  type: file\n  url: jdbc:h2:mem:x\n",
            "config.yaml line 3: store.url does not apply to a file store (its keys: type, path, retention)"),
        Arguments.of("store:\n  type: jdbc\n",
            "config.yaml line 1: store.url is required for a jdbc store (e.g. jdbc:postgresql://localhost/tokenwatch)"),
        Arguments.of("store:\n  type: jdbc\n  url: postgres://u:pw@db/x?password=pw\n",
            "config.yaml line 3: store.url must be a JDBC URL starting with \"jdbc:\", got "
                + "\"postgres://u:<redacted>@db/x?password=<redacted>\""),
        Arguments.of("store:\n  type: jdbc\n  url: jdbc:h2:mem:x\n  pasword: x\n",
            "config.yaml line 4: store.pasword is not a known key; did you mean store.password?"),
        Arguments.of("store:\n  type: jdbc\n  url: jdbc:h2:mem:x\n  password: ${DB_PASS}\n",
            "config.yaml line 4: store.password refers to environment variable DB_PASS, which is not set"),
        Arguments.of("store:\n  type: jdbc\n  url: jdbc:h2:mem:x\n  schema: drop table\n",
            "config.yaml line 4: store.schema must be an SQL identifier (a letter or '_', then letters, digits or "
                + "'_', at most 63), got \"drop table\""),
        Arguments.of("notifiers:\n",
            "config.yaml line 1: notifiers must be a list such as [{type: console}], got an empty value; write "
                + "notifiers: [] for no notifiers, or leave the key out for the console default"),
        Arguments.of("notifiers:\n  - type: email\n",
            "config.yaml line 2: notifiers[0].type must be one of console, slack, got \"email\""),
        Arguments.of("notifiers:\n  - type: console\n  - type: slack\n",
            "config.yaml line 3: notifiers[1].webhookUrl is required for a slack notifier (e.g. ${SLACK_WEBHOOK_URL})"),
        Arguments.of("notifiers:\n  - type: slack\n    webhook_url: https://hooks.slack.com/x\n",
            "config.yaml line 3: notifiers[0].webhook_url is not a known key; did you mean notifiers[0].webhookUrl?"),
        Arguments.of("notifiers:\n  - type: slack\n    webhookUrl: ${SLACK_WEBHOOK_URL}\n",
            "config.yaml line 3: notifiers[0].webhookUrl refers to environment variable SLACK_WEBHOOK_URL, which is "
                + "not set"),
        Arguments.of("notifiers:\n  - type: slack\n    webhookUrl: ftp://hooks.example/secret-path\n",
            "config.yaml line 3: notifiers[0].webhookUrl must use https, got scheme 'ftp'"),
        Arguments.of("store:\n  type: file\n  retention: 1y\n",
            "config.yaml line 3: store.retention must be a number of days such as 400d (at least 1d), got \"1y\""),
        Arguments.of("store:\n  type: memory\n  retention: 0d\n",
            "config.yaml line 3: store.retention must be a number of days such as 400d (at least 1d), got \"0d\""),
        Arguments.of("budget:\n  limit: [1\n",
            "config.yaml line 2: not valid YAML: while parsing a flow sequence"));
  }

  @ParameterizedTest
  @MethodSource("errors")
  void reportsFileLineAndKey(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void lookupOrderIsOptionThenEnvironmentThenWorkingDirectoryThenXdg() {
    TestEnvironment harness = new TestEnvironment(dir);
    harness.write("config/tokenwatch/config.yaml", "budget:\n  limit: 4\n");
    assertThat(load(harness, null).budget().limit()).isEqualTo(4);
    harness.write("tokenwatch.yaml", "budget:\n  limit: 3\n");
    assertThat(load(harness, null).budget().limit()).isEqualTo(3);
    harness.write("env.yaml", "budget:\n  limit: 2\n");
    harness.variables.put("TOKENWATCH_CONFIG", "env.yaml");
    assertThat(load(harness, null).budget().limit()).isEqualTo(2);
    harness.write("option.yaml", "budget:\n  limit: 1\n");
    assertThat(load(harness, "option.yaml").budget().limit()).isEqualTo(1);
  }

  @Test
  void withoutAnyFileTheDefaultsApply() {
    TestEnvironment harness = new TestEnvironment(dir);
    AppConfig config = load(harness, null);
    assertThat(config.budget().limit()).isEqualTo(1_000_000);
    assertThat(config.budget().period()).isEqualTo(BudgetPeriod.MONTHLY);
    assertThat(config.store()).isEqualTo(new StoreConfig.File(dir.resolve("state/tokenwatch")));
    assertThat(config.notifiers()).isEqualTo(List.of(new NotifierConfig.Console()));
    assertThat(config.source()).startsWith("built-in defaults");
  }

  @Test
  void xdgFallsBackToTheHomeDirectory() {
    TestEnvironment harness = new TestEnvironment(dir);
    harness.variables.remove("XDG_STATE_HOME");
    harness.variables.remove("XDG_CONFIG_HOME");
    harness.write("home/.config/tokenwatch/config.yaml", "budget:\n  limit: 7\n");
    AppConfig config = load(harness, null);
    assertThat(config.budget().limit()).isEqualTo(7);
    assertThat(config.stateDirectory()).isEqualTo(dir.resolve("home/.local/state/tokenwatch"));
  }

  @Test
  void namedFilesThatDoNotExistAreErrors() {
    TestEnvironment harness = new TestEnvironment(dir);
    assertThatThrownBy(() -> load(harness, "nope.yaml"))
        .hasMessage("config file nope.yaml (given with --config) does not exist");
    harness.variables.put("TOKENWATCH_CONFIG", "/no/such.yaml");
    assertThatThrownBy(() -> load(harness, null))
        .hasMessage("config file /no/such.yaml (named by $TOKENWATCH_CONFIG) does not exist");
  }

  private static AppConfig load(TestEnvironment harness, String option) {
    return new ConfigLoader(harness.environment()).load(Optional.ofNullable(option));
  }
}
