package dev.tokenwatch.notifier.slack;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.outbox.DeliveryFailedException;
import dev.tokenwatch.domain.port.AlertSink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Posts alerts to a Slack incoming webhook: one request per alert, on the calling thread, within
 * the configured timeouts. It tries once; retrying is the tracker's job: a {@link #remote() remote}
 * sink, it gets its alerts from the store's outbox on the tracker's delivery thread, and a failed
 * one is tried again with the outbox's backoff, by this process and by later ones, until delivered
 * or given up.
 *
 * <p>A failure (no connection, a timeout, any answer but 2xx; redirects are not followed) is thrown
 * as a {@link DeliveryFailedException} that says what Slack answered: the status and Slack's error
 * text, such as {@code Slack answered HTTP 404 no_service}. A 429's {@code Retry-After} travels with
 * it, so the outbox waits as long as Slack asked. The webhook URL never appears in an exception,
 * a log line or {@link #toString()}.
 *
 * <pre>{@code
 * SlackAlertSink slack = SlackAlertSink.of(SlackConfig.ofDefaults(webhookUrl));
 * TokenTracker tracker = TokenTracker.builder(budget).sink(slack).build();
 * }</pre>
 */
public final class SlackAlertSink implements AlertSink {

  private static final Logger LOG = LogManager.getLogger(SlackAlertSink.class);
  private static final int MAX_QUOTED_BODY = 300;

  private final SlackConfig config;
  private final WebhookUrl webhook;
  private final HttpClient http;
  private volatile String hostName;

  private SlackAlertSink(SlackConfig config) {
    this.config = config;
    this.webhook = config.webhook();
    this.http = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /** A sink posting to the webhook of {@code config}. Nothing to start or close. */
  public static SlackAlertSink of(SlackConfig config) {
    return new SlackAlertSink(Objects.requireNonNull(config, "config"));
  }

  /**
   * Posts {@code alert} once and returns when Slack accepted it.
   *
   * @throws DeliveryFailedException when it did not arrive: what Slack answered (or the network
   *     error), the webhook redacted; for a 429 with {@code Retry-After}, how long Slack asked to wait
   */
  @Override
  public void deliver(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    HttpResponse<String> response;
    try {
      response = http.send(request(alert), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // not kept as the cause: a JDK message may quote the URL, so only the scrubbed text goes on
      throw failure(e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getClass().getSimpleName() + ": " + webhook.scrub(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while posting to Slack");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      LOG.debug("Slack accepted alert {} of budget '{}'", alert.id(), SlackPayload.printable(alert.budgetName()));
      return;
    }
    String answer = "Slack answered HTTP " + status + ' ' + quoted(response.body());
    if (status == 429) {
      Optional<String> header = response.headers().firstValue("Retry-After").map(String::trim);
      Optional<Duration> wait = header.flatMap(SlackAlertSink::retryAfter);
      if (wait.isPresent()) {
        throw new DeliveryFailedException(answer + ", Retry-After " + wait.get().toSeconds() + " s"
            + suffix(), wait.get());
      }
      throw failure(answer + header.map(h -> ", unreadable Retry-After \"" + SlackPayload.printable(h) + '"')
          .orElse(", no Retry-After"));
    }
    throw failure(status >= 300 && status < 400 ? answer + " (redirects are not followed)" : answer);
  }

  /**
   * The same single attempt as {@link #deliver}, and like it throws on failure rather than returning
   * the problem, so that a tracker's outbox gets a 429's {@code Retry-After}.
   */
  @Override
  public Optional<String> deliverNow(Alert alert) {
    deliver(alert);
    return Optional.empty();
  }

  /** "slack-" and a fingerprint of the webhook: the same for every process posting to it, never the URL. */
  @Override
  public String name() {
    return "slack-" + webhook.fingerprint();
  }

  /** Slack is reached over the network: a tracker delivers to it from its delivery thread. */
  @Override
  public boolean remote() {
    return true;
  }

  @Override
  public String toString() {
    return "SlackAlertSink[webhook=" + webhook.redacted() + ']';
  }

  private DeliveryFailedException failure(String problem) {
    return new DeliveryFailedException(problem + suffix());
  }

  private String suffix() {
    return " (webhook " + webhook.redacted() + ')';
  }

  private HttpRequest request(Alert alert) {
    return HttpRequest.newBuilder(webhook.uri())
        .timeout(config.requestTimeout())
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(SlackPayload.render(alert, hostName())))
        .build();
  }

  /** Retry-After as seconds or an HTTP date; empty when unreadable. The outbox's policy caps it. */
  static Optional<Duration> retryAfter(String header) {
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header))));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant until = ZonedDateTime.parse(header, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(Instant.now(), until);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
  }

  /** Slack's error text (its body), shortened and with control characters made visible. */
  private String quoted(String body) {
    if (body == null || body.isBlank()) {
      return "(empty body)";
    }
    String trimmed = webhook.scrub(body.strip());
    String shown = trimmed.length() > MAX_QUOTED_BODY ? trimmed.substring(0, MAX_QUOTED_BODY) + "…" : trimmed;
    return SlackPayload.printable(shown);
  }

  /** Looked up once, on the first delivery (the tracker's delivery thread), never while tracking. */
  private String hostName() {
    String name = hostName;
    if (name == null) {
      name = config.hostName().orElseGet(SlackAlertSink::lookUpHostName);
      hostName = name;
    }
    return name;
  }

  private static String lookUpHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      String fromEnvironment = System.getenv("HOSTNAME");
      LOG.debug("Cannot resolve the local host name ({}); using {}", e.getMessage(),
          fromEnvironment != null ? "$HOSTNAME" : "\"unknown host\"");
      return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : "unknown host";
    }
  }
}
