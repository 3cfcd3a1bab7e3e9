package dev.tokenwatch.notifier.slack;

import dev.tokenwatch.domain.Alert;
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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Posts alerts to a Slack incoming webhook.
 *
 * <p>{@link #deliver} only puts the alert into a bounded queue (see {@link
 * SlackConfig.Builder#queueCapacity}) and returns; one worker thread sends them in order, at most
 * one request per {@link SlackConfig#minSendInterval()}. Connection failures, timeouts and 5xx
 * answers are retried with exponential backoff and jitter; a 429 waits for its {@code Retry-After}.
 * Other answers (400 {@code invalid_payload}, 403 {@code action_prohibited}, 404 {@code no_service},
 * 410 {@code channel_is_archived}, ...) are permanent: logged at ERROR with Slack's answer and the
 * alert, not retried. Nothing is lost silently: each drop, failure and undelivered alert is logged.
 *
 * <p>{@link #close()} stops accepting alerts and waits up to {@link SlackConfig#closeTimeout()} for
 * the queue to empty. The webhook URL never appears in a log line, exception or {@link #toString()}.
 *
 * <pre>{@code
 * try (SlackAlertSink slack = SlackAlertSink.start(SlackConfig.ofDefaults(webhookUrl))) {
 *   tracker.addSink(slack);
 *   ...
 * }
 * }</pre>
 */
public final class SlackAlertSink implements AlertSink, AutoCloseable {

  private static final Logger LOG = LogManager.getLogger(SlackAlertSink.class);
  private static final int MAX_LOGGED_BODY = 500;

  /**
   * Counts since start.
   *
   * @param accepted alerts put into the queue
   * @param delivered alerts Slack answered with 2xx
   * @param dropped alerts dropped because the queue was full (or offered after close)
   * @param failed alerts given up: permanent error, or retries exhausted
   * @param pending alerts queued or being sent now
   */
  public record Stats(long accepted, long delivered, long dropped, long failed, int pending) {}

  private final SlackConfig config;
  private final WebhookUrl webhook;
  private final HttpClient http;
  private final AlertQueue queue;
  private final Thread worker;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Object closeLock = new Object();
  private volatile Alert inFlight;
  private Integer undeliveredAtClose;
  private String hostName;
  private long nextSendNanos = System.nanoTime();

  private SlackAlertSink(SlackConfig config) {
    this.config = config;
    this.webhook = config.webhook();
    this.http = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
    this.queue = new AlertQueue(config.queueCapacity());
    this.worker = new Thread(this::work, "tokenwatch-slack-notifier");
    // daemon: a forgotten close() must not keep the JVM alive; close() is what flushes
    this.worker.setDaemon(true);
  }

  /** A sink for {@code config} with its worker thread started. */
  public static SlackAlertSink start(SlackConfig config) {
    SlackAlertSink sink = new SlackAlertSink(Objects.requireNonNull(config, "config"));
    sink.worker.start();
    return sink;
  }

  /**
   * Queues {@code alert} for sending and returns without waiting for the network. If the queue is
   * full, the oldest alert of the lowest level is dropped and logged at WARN; CRITICAL alerts are
   * always queued. After {@link #close()} the alert is logged at WARN and not sent.
   */
  @Override
  public void deliver(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    AlertQueue.Offer offer = queue.offer(alert);
    if (offer.accepted()) {
      accepted.incrementAndGet();
    }
    if (offer.dropped() != null) {
      dropped.incrementAndGet();
      LOG.warn("Slack alert queue full ({} alerts): dropped {} alert, not sent: {}", config.queueCapacity(),
          offer.dropped().level(), SlackPayload.logText(offer.dropped()));
    } else if (!offer.accepted()) {
      dropped.incrementAndGet();
      LOG.warn("Slack notifier is closed: alert not sent: {}", SlackPayload.logText(alert));
    }
  }

  /** Current counts. */
  public Stats stats() {
    return new Stats(accepted.get(), delivered.get(), dropped.get(), failed.get(),
        queue.size() + (inFlight != null ? 1 : 0));
  }

  /**
   * Stops accepting alerts and waits up to {@link SlackConfig#closeTimeout()} for pending ones; any
   * left are logged at WARN with their text. See {@link #close(Duration)} for the count.
   */
  @Override
  public void close() {
    close(config.closeTimeout());
  }

  /**
   * Stops accepting alerts, waits up to {@code deadline} for the queued ones to be sent, then stops
   * the worker. Calling it again returns the first call's result.
   *
   * @return how many alerts were left undelivered (queued, or interrupted while being sent)
   */
  public int close(Duration deadline) {
    synchronized (closeLock) {
      if (undeliveredAtClose != null) {
        return undeliveredAtClose;
      }
      queue.close();
      boolean interrupted = false;
      try {
        worker.join(Math.max(1, deadline.toMillis()));
        if (worker.isAlive()) {
          worker.interrupt();
          worker.join(TimeUnit.SECONDS.toMillis(2));
        }
      } catch (InterruptedException e) {
        interrupted = true;
        worker.interrupt();
      }
      List<Alert> left = queue.drain();
      Alert current = inFlight;
      int undelivered = left.size() + (current != null ? 1 : 0);
      if (undelivered > 0) {
        LOG.warn("Slack notifier closed with {} alert(s) undelivered after waiting {} ms (webhook {})",
            undelivered, deadline.toMillis(), webhook.redacted());
        if (current != null) {
          LOG.warn("Undelivered Slack alert (was being sent): {}", SlackPayload.logText(current));
        }
        left.forEach(a -> LOG.warn("Undelivered Slack alert: {}", SlackPayload.logText(a)));
      } else {
        LOG.debug("Slack notifier closed; all alerts sent or accounted for (webhook {})", webhook.redacted());
      }
      undeliveredAtClose = undelivered;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return undelivered;
    }
  }

  /** "slack-" and a fingerprint of the webhook: the same for every process posting to it, never the URL. */
  @Override
  public String name() {
    return "slack-" + webhook.fingerprint();
  }

  /** Slack is reached over the network: a tracker delivers to it from its worker thread. */
  @Override
  public boolean remote() {
    return true;
  }

  @Override
  public String toString() {
    return "SlackAlertSink[webhook=" + webhook.redacted() + ", " + stats() + ']';
  }

  private void work() {
    try {
      Alert alert;
      while ((alert = queue.take()) != null) {
        inFlight = alert;
        try {
          send(alert);
        } catch (RuntimeException e) {
          failed.incrementAndGet();
          LOG.error("Slack alert not sent because of an unexpected error ({}): {}",
              webhook.scrub(String.valueOf(e)), SlackPayload.logText(alert));
        }
        inFlight = null;
      }
    } catch (InterruptedException e) {
      // close() ran out of time; it reports what is left (inFlight stays set for it)
      LOG.debug("Slack notifier worker interrupted by close()");
    }
  }

  /**
   * Sends {@code alert} once, now, on the calling thread (not through the queue; no retries): empty
   * when Slack accepted it, else what went wrong, with the webhook redacted. For {@code tokenwatch
   * doctor --test-alert}, which must report the real outcome.
   */
  @Override
  public Optional<String> deliverNow(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    try {
      HttpResponse<String> response = http.send(request(alert), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        delivered.incrementAndGet();
        return Optional.empty();
      }
      failed.incrementAndGet();
      return Optional.of("Slack answered HTTP " + status + " " + loggable(response.body()) + " (webhook "
          + webhook.redacted() + ")");
    } catch (IOException e) {
      failed.incrementAndGet();
      return Optional.of((e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getClass().getSimpleName() + ": " + webhook.scrub(e.getMessage())) + " (webhook " + webhook.redacted() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while sending (webhook " + webhook.redacted() + ")");
    }
  }

  private HttpRequest request(Alert alert) {
    return HttpRequest.newBuilder(webhook.uri())
        .timeout(config.requestTimeout())
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(SlackPayload.render(alert, hostName())))
        .build();
  }

  /** Sends one alert until delivered, rejected for good, or out of attempts. */
  private void send(Alert alert) throws InterruptedException {
    HttpRequest request = request(alert);
    for (int attempt = 1; ; attempt++) {
      pace();
      String problem;
      Duration wait;
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          delivered.incrementAndGet();
          LOG.debug("Slack alert delivered on attempt {}: {}", attempt, SlackPayload.logText(alert));
          return;
        }
        String body = loggable(response.body());
        if (status == 429) {
          Duration retryAfter = retryAfter(response).orElseGet(() -> backoff(1));
          nextSendNanos = Math.max(nextSendNanos, System.nanoTime() + retryAfter.toNanos());
          problem = "HTTP 429 " + body + ", Retry-After " + retryAfter.toMillis() + " ms";
          wait = Duration.ZERO; // pace() waits until nextSendNanos
        } else if (status >= 500) {
          problem = "HTTP " + status + ' ' + body;
          wait = backoff(attempt);
        } else {
          failed.incrementAndGet();
          LOG.error("Slack rejected the alert with HTTP {} \"{}\" (webhook {}); not retried. Alert: {}",
              status, body, webhook.redacted(), SlackPayload.logText(alert));
          return;
        }
      } catch (IOException e) {
        problem = e.getClass().getSimpleName() + ": " + webhook.scrub(e.getMessage());
        wait = backoff(attempt);
      }
      if (attempt >= config.maxAttempts()) {
        failed.incrementAndGet();
        LOG.error("Giving up on a Slack alert after {} attempt(s) (webhook {}); last problem: {}. Alert: {}",
            attempt, webhook.redacted(), problem, SlackPayload.logText(alert));
        return;
      }
      LOG.warn("Slack delivery attempt {} of {} failed ({}); retrying in {} ms",
          attempt, config.maxAttempts(), problem, wait.toMillis());
      TimeUnit.NANOSECONDS.sleep(wait.toNanos());
    }
  }

  /** Waits until the next request may go out, then books the slot after it. */
  private void pace() throws InterruptedException {
    long delay = nextSendNanos - System.nanoTime();
    if (delay > 0) {
      TimeUnit.NANOSECONDS.sleep(delay);
    }
    nextSendNanos = System.nanoTime() + config.minSendInterval().toNanos();
  }

  /** initialBackoff × 2^(attempt-1), at most maxBackoff, spread randomly by ±jitter. */
  Duration backoff(int attempt) {
    double base = config.initialBackoff().toNanos() * Math.pow(2, Math.min(attempt - 1, 30));
    double capped = Math.min(base, config.maxBackoff().toNanos());
    double spread = 1 + config.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Duration.ofNanos((long) Math.min(capped * spread, config.maxBackoff().toNanos()));
  }

  /** Retry-After as seconds or an HTTP date, capped at maxRetryAfter; empty when absent or unreadable. */
  private Optional<Duration> retryAfter(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue("Retry-After").map(String::trim);
    if (header.isEmpty()) {
      return Optional.empty();
    }
    Duration wait;
    try {
      wait = Duration.ofSeconds(Math.max(0, Long.parseLong(header.get())));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant until = ZonedDateTime.parse(header.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = Duration.between(Instant.now(), until);
        wait = wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notDate) {
        LOG.warn("Ignoring unreadable Retry-After header \"{}\" from Slack", SlackPayload.printable(header.get()));
        return Optional.empty();
      }
    }
    return Optional.of(wait.compareTo(config.maxRetryAfter()) > 0 ? config.maxRetryAfter() : wait);
  }

  private static String loggable(String body) {
    if (body == null || body.isEmpty()) {
      return "(empty body)";
    }
    String shown = body.length() > MAX_LOGGED_BODY ? body.substring(0, MAX_LOGGED_BODY) + "…" : body;
    return SlackPayload.printable(shown);
  }

  /** Looked up once, on the worker, so a slow resolver never delays {@code deliver}. */
  private String hostName() {
    if (hostName == null) {
      hostName = config.hostName().orElseGet(SlackAlertSink::lookUpHostName);
    }
    return hostName;
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
