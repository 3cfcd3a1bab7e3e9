package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import dev.tokenwatch.persistence.jdbc.PasswordPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command that opens the store, run as a real process against every form a secret takes in
 * the configuration (a URL's user:password@, password=, sslpassword=, H2's PASSWORD=,
 * store.password, a Slack webhook's path), on the paths where the connection fails (a real
 * PostgreSQL that checks passwords; an H2 file with another password) and where it works: the
 * secret appears nowhere in stdout or stderr, no stack trace or SQL reaches the terminal, and a
 * failure that waiting cannot fix is not retried.
 */
class SecretsInMessagesTest {

  private static final String WEBHOOK_SECRET = "SLACK-SECRET-5xq";
  private static final List<List<String>> COMMANDS = List.of(
      List.of("status"),
      List.of("track", "--model", "m", "--input", "900", "--output", "10"),
      List.of("ingest", "logs"),
      List.of("report", "daily"),
      List.of("doctor", "--test-alert"),
      List.of("check"),
      List.of("history"),
      List.of("reset", "--yes"));

  @TempDir
  Path dir;

  static Stream<Arguments> forms() {
    return Stream.of(
        Arguments.of("userinfo", "SECRET-userinfo-1", false),
        Arguments.of("password=", "SECRET-password-2", false),
        Arguments.of("sslpassword= and store.password", "SECRET-ssl-3", false),
        Arguments.of("store.password", "SECRET-store-6", false),
        Arguments.of("H2 PASSWORD= (wrong)", "SECRET-h2-4", false),
        Arguments.of("H2 PASSWORD= (right)", "SECRET-h2ok-7", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forms")
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void noCommandShowsTheSecret(String form, String secret, boolean opens) throws Exception {
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(dir.resolve("logs/api.jsonl"), IngestCliTest.ANTHROPIC);
    String store = store(form, secret);
    Path config = Files.writeString(dir.resolve("config.yaml"), """
        budget:
          name: secrets
          limit: 1000
        store:
        %s
        notifiers:
          - type: slack
            webhookUrl: https://127.0.0.1:9/services/T000/B000/%s
        """.formatted(store.indent(2).stripTrailing(), WEBHOOK_SECRET));
    List<String> problems = new ArrayList<>();
    for (List<String> command : COMMANDS) {
      long start = System.nanoTime();
      CliProcess.Result result = CliProcess.run(dir, config, command.toArray(String[]::new));
      long millis = (System.nanoTime() - start) / 1_000_000;
      String both = result.both();
      String name = String.join(" ", command);
      for (String s : List.of(secret, WEBHOOK_SECRET)) {
        if (both.contains(s)) {
          problems.add(name + ": shows " + s + ":\n" + both);
        }
      }
      if (both.contains("\tat ") || both.contains("SQL statement") || both.contains("org.h2.")) {
        problems.add(name + ": shows a stack trace or SQL:\n" + both);
      }
      if (!opens && result.exitCode() != ExitCodes.STORE) {
        problems.add(name + ": exit " + result.exitCode() + " instead of " + ExitCodes.STORE + ":\n" + both);
      }
      // Given up at once, not after the 10 s connect timeout (timed in AuthenticationFailureTest, in-process:
      // here a loaded machine's JVM start would blur it).
      if (!opens && !result.err().contains("not retried") && !result.err().contains("carries user:password@")) {
        problems.add(name + ": not refused at once (" + millis + " ms):\n" + both);
      }
    }
    assertThat(problems).isEmpty();
  }

  private String store(String form, String secret) {
    String pg = "localhost:" + PasswordPostgres.get().getPort() + "/postgres";
    String h2 = "jdbc:h2:file:" + dir.resolve("db/usage");
    return switch (form) {
      case "userinfo" -> "type: jdbc\nurl: jdbc:postgresql://" + PasswordPostgres.ROLE + ":" + secret + "@" + pg;
      case "password=" -> "type: jdbc\nurl: jdbc:postgresql://" + pg + "?user=" + PasswordPostgres.ROLE
          + "&password=" + secret;
      case "sslpassword= and store.password" -> "type: jdbc\nurl: jdbc:postgresql://" + pg + "?sslpassword=" + secret
          + "&user=" + PasswordPostgres.ROLE + "\npassword: " + secret + "-x";
      case "store.password" -> "type: jdbc\nurl: jdbc:postgresql://" + pg + "\nuser: " + PasswordPostgres.ROLE
          + "\npassword: " + secret;
      case "H2 PASSWORD= (wrong)" -> {
        // The database exists with another password.
        JdbcUsageStore.builder().url(h2).user("sa").password("the-right-one").build().close();
        yield "type: jdbc\nurl: " + h2 + ";USER=sa;PASSWORD=" + secret;
      }
      case "H2 PASSWORD= (right)" -> "type: jdbc\nurl: " + h2 + ";USER=sa;PASSWORD=" + secret;
      default -> throw new IllegalArgumentException(form);
    };
  }
}
