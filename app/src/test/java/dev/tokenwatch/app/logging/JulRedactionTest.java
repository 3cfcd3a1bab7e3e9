package dev.tokenwatch.app.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.testing.JavaCommand;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@code java.util.logging} warning (the PostgreSQL driver logs through JUL, e.g. a URL it cannot
 * parse) and a Log4j error with an exception, in a process of their own: both reach stderr in
 * tokenwatch's format with every secret masked, registered or recognisable by its form.
 */
class JulRedactionTest {

  static final String REGISTERED = "registered-SECRET-1";
  static final String IN_URL = "url-SECRET-2";
  static final String WEBHOOK = "T000/B000/hook-SECRET-3";

  @Test
  void julAndLog4jLinesAreMasked() throws Exception {
    Process process = new ProcessBuilder(JavaCommand.of(List.of(), Main.class)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output)
        .contains("tokenwatch: warn: JDBC URL port: jdbc:postgresql://tw:<redacted>@db/usage?password=<redacted>")
        .contains("tokenwatch: error: cannot open <redacted>")
        .contains("https://hooks.slack.com/<redacted>")
        .doesNotContain(REGISTERED).doesNotContain(IN_URL).doesNotContain("hook-SECRET-3")
        .doesNotContain("\tat ");
  }

  /** Logs as a library would once tokenwatch's logging is on. */
  public static final class Main {
    public static void main(String[] args) {
      Redaction.register(REGISTERED);
      AppLogging.start();
      java.util.logging.Logger.getLogger("org.postgresql.Driver").warning("JDBC URL port: jdbc:postgresql://tw:"
          + IN_URL + "@db/usage?password=" + IN_URL + " not valid");
      org.apache.logging.log4j.LogManager.getLogger("some.library").error("cannot open " + REGISTERED,
          new IllegalStateException("posting to https://hooks.slack.com/services/" + WEBHOOK + " failed"));
      org.apache.logging.log4j.LogManager.shutdown();
    }
  }
}
