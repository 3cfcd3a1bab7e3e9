package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Failures a retry cannot fix end at once (not after the 10 s connect timeout) on a real
 * PostgreSQL that checks passwords, and no secret appears in the message, the exception chain or a
 * log line, whichever way it was given.
 */
class AuthenticationFailureTest {

  private static final String WRONG = "wrong-SECRET-pw1";
  private static final String SSL_SECRET = "ssl-SECRET-pw2";
  private static final Duration FAST = Duration.ofSeconds(7); // well under the 10 s a retrying client takes, with room for a loaded machine

  @Test
  void wrongPasswordFailsAtOnceWithTheServersReasonAndNoSecret() {
    Failure f = fail(JdbcUsageStore.builder().url(PasswordPostgres.url("postgres")).user(PasswordPostgres.ROLE)
        .password(WRONG));
    assertThat(f.message()).contains("cannot connect to database jdbc:postgresql://localhost:")
        .contains("as user '" + PasswordPostgres.ROLE + "'").contains("password authentication failed")
        .contains("SQLState 28P01").contains("not retried");
    f.assertFast().assertNoSecret(WRONG);
  }

  @Test
  void wrongPasswordInTheUrlAndAnSslPasswordAreMasked() {
    String url = PasswordPostgres.url("postgres") + "?sslpassword=" + SSL_SECRET + "&user=" + PasswordPostgres.ROLE
        + "&password=" + WRONG;
    Failure f = fail(JdbcUsageStore.builder().url(url));
    assertThat(f.message()).contains("sslpassword=***").contains("password=***").contains("28P01");
    f.assertFast().assertNoSecret(WRONG).assertNoSecret(SSL_SECRET);
  }

  @Test
  void unknownRoleFailsAtOnce() {
    Failure f = fail(JdbcUsageStore.builder().url(PasswordPostgres.url("postgres")).user("no_such_role")
        .password(WRONG));
    assertThat(f.message()).contains("28P01");
    f.assertFast().assertNoSecret(WRONG);
  }

  @Test
  void unknownDatabaseFailsAtOnce() {
    Failure f = fail(JdbcUsageStore.builder().url(PasswordPostgres.url("no_such_db")).user("postgres")
        .password(WRONG));
    assertThat(f.message()).contains("no_such_db").contains("3D000");
    f.assertFast().assertNoSecret(WRONG);
  }

  @Test
  void userInfoInTheUrlIsRefusedBeforeTheDriverSeesIt() {
    String url = "jdbc:postgresql://tw:" + WRONG + "@localhost:" + PasswordPostgres.get().getPort() + "/postgres";
    try (LogCapture logs = LogCapture.begin()) {
      IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
          () -> JdbcUsageStore.builder().url(url).build());
      assertThat(e.getMessage()).contains("jdbc:postgresql://tw:***@localhost:")
          .contains("set the user and password separately").doesNotContain(WRONG);
      assertThat(logs.text()).doesNotContain(WRONG);
    }
  }

  private record Failure(JdbcUsageStoreException exception, Duration took, String logs) {
    String message() {
      return exception.getMessage();
    }

    Failure assertFast() {
      assertThat(took).as("gives up at once, not after the 10 s connect timeout").isLessThan(FAST);
      return this;
    }

    Failure assertNoSecret(String secret) {
      StringWriter trace = new StringWriter();
      exception.printStackTrace(new PrintWriter(trace));
      assertThat(trace.toString()).doesNotContain(secret);
      assertThat(logs).doesNotContain(secret);
      return this;
    }
  }

  private static Failure fail(JdbcUsageStore.Builder builder) {
    PasswordPostgres.get();
    try (LogCapture logs = LogCapture.begin()) {
      long start = System.nanoTime();
      JdbcUsageStoreException e = catchThrowableOfType(JdbcUsageStoreException.class,
          () -> builder.connectTimeout(Duration.ofSeconds(10)).build());
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(e).as("the store did not open").isNotNull();
      return new Failure(e, took, logs.text());
    }
  }
}
