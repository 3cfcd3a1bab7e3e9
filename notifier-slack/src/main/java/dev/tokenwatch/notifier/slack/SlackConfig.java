package dev.tokenwatch.notifier.slack;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Immutable settings of a {@link SlackAlertSink}. Build with {@link #builder()} (every value is
 * checked in {@link Builder#build()}) or take {@link #ofDefaults(String)}.
 *
 * <p>The webhook URL is a secret: {@link #toString()} and every error message show it redacted
 * ({@code https://hooks.slack.com/services/T0…/***}).
 */
public final class SlackConfig {

  /** Default connect timeout: 5 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Default timeout of one request, from sending to the response: 10 s. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** Default number of queued alerts before INFO and WARNING alerts are dropped: 100. */
  public static final int DEFAULT_QUEUE_CAPACITY = 100;
  /** Default attempts per alert, the first included: 4. */
  public static final int DEFAULT_MAX_ATTEMPTS = 4;
  /** Default wait before the first retry: 1 s, doubled for each further one. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
  /** Default longest wait between retries: 30 s. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  /** Default share by which a backoff is randomly shortened or lengthened: 0.5 (±50%). */
  public static final double DEFAULT_JITTER = 0.5;
  /** Default least time between two requests to the webhook: 1 s (Slack's limit). */
  public static final Duration DEFAULT_MIN_SEND_INTERVAL = Duration.ofSeconds(1);
  /** Default longest {@code Retry-After} honoured, so a bogus header cannot stall alerts for hours: 60 s. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);
  /** Default time {@link SlackAlertSink#close()} waits for pending alerts: 10 s. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final WebhookUrl webhook;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int queueCapacity;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double jitter;
  private final Duration minSendInterval;
  private final Duration maxRetryAfter;
  private final Duration closeTimeout;
  private final String hostName;

  private SlackConfig(Builder b, WebhookUrl webhook) {
    this.webhook = webhook;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.queueCapacity = b.queueCapacity;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.jitter = b.jitter;
    this.minSendInterval = b.minSendInterval;
    this.maxRetryAfter = b.maxRetryAfter;
    this.closeTimeout = b.closeTimeout;
    this.hostName = b.hostName;
  }

  /** The defaults for {@code webhookUrl}. */
  public static SlackConfig ofDefaults(String webhookUrl) {
    return builder().webhookUrl(webhookUrl).build();
  }

  /** A builder holding the defaults; only the webhook URL must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The webhook URL. A secret: do not log it. */
  public URI webhookUrl() {
    return webhook.uri();
  }

  /** The webhook URL in a form safe to show: {@code https://hooks.slack.com/services/T0…/***}. */
  public String redactedWebhookUrl() {
    return webhook.redacted();
  }

  WebhookUrl webhook() {
    return webhook;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public double jitter() {
    return jitter;
  }

  public Duration minSendInterval() {
    return minSendInterval;
  }

  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** The host name shown in messages; empty when it is looked up on first delivery. */
  public Optional<String> hostName() {
    return Optional.ofNullable(hostName);
  }

  @Override
  public String toString() {
    return "SlackConfig[webhookUrl=" + webhook.redacted() + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout + ", queueCapacity=" + queueCapacity + ", maxAttempts=" + maxAttempts
        + ", initialBackoff=" + initialBackoff + ", maxBackoff=" + maxBackoff + ", jitter=" + jitter
        + ", minSendInterval=" + minSendInterval + ", maxRetryAfter=" + maxRetryAfter + ", closeTimeout="
        + closeTimeout + ", hostName=" + (hostName == null ? "(looked up)" : hostName) + ']';
  }

  /** Collects settings; {@link #build()} checks them all. Not thread-safe. */
  public static final class Builder {
    private String webhookUrl;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private double jitter = DEFAULT_JITTER;
    private Duration minSendInterval = DEFAULT_MIN_SEND_INTERVAL;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private String hostName;

    private Builder() {}

    /** The incoming-webhook URL: https, or http to a loopback address. Required. */
    public Builder webhookUrl(String webhookUrl) {
      this.webhookUrl = webhookUrl;
      return this;
    }

    /** Time to open a connection; greater than zero. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** Time for one request until its response arrives; greater than zero. */
    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    /**
     * Alerts held while the webhook is slow or down, at least 1. When full, the oldest alert of the
     * lowest level present is dropped (INFO first); CRITICAL alerts are never dropped and may
     * exceed the capacity.
     */
    public Builder queueCapacity(int queueCapacity) {
      this.queueCapacity = queueCapacity;
      return this;
    }

    /** Attempts per alert including the first, at least 1. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Wait before the first retry (doubled each time, up to {@link #maxBackoff}); zero or more. */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    /** Longest wait between retries; at least {@link #initialBackoff}. */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    /** Random spread of each backoff, 0 (none) to 1 (anything from zero to double). */
    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    /** Least time between two requests (Slack allows about one message per second); zero or more. */
    public Builder minSendInterval(Duration minSendInterval) {
      this.minSendInterval = minSendInterval;
      return this;
    }

    /** Longest {@code Retry-After} honoured; greater than zero. */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /** How long {@link SlackAlertSink#close()} waits for pending alerts; zero or more. */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = closeTimeout;
      return this;
    }

    /** The host name shown in each message; by default looked up once, on the worker thread. */
    public Builder hostName(String hostName) {
      this.hostName = hostName;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws IllegalArgumentException naming the first invalid setting and its value (the webhook
     *     URL is never quoted)
     */
    public SlackConfig build() {
      WebhookUrl webhook = WebhookUrl.parse(webhookUrl);
      positive("connectTimeout", connectTimeout);
      positive("requestTimeout", requestTimeout);
      positive("maxRetryAfter", maxRetryAfter);
      notNegative("initialBackoff", initialBackoff);
      notNegative("maxBackoff", maxBackoff);
      notNegative("minSendInterval", minSendInterval);
      notNegative("closeTimeout", closeTimeout);
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff must be at least initialBackoff (" + initialBackoff + "), got " + maxBackoff);
      }
      if (queueCapacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
      }
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
      }
      if (hostName != null && hostName.isBlank()) {
        throw new IllegalArgumentException("hostName must not be blank when set, got \"" + hostName + '"');
      }
      return new SlackConfig(this, webhook);
    }

    private static void positive(String name, Duration value) {
      if (value == null) {
        throw new IllegalArgumentException(name + " must be set, got null");
      }
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be greater than zero, got " + value);
      }
    }

    private static void notNegative(String name, Duration value) {
      if (value == null) {
        throw new IllegalArgumentException(name + " must be set, got null");
      }
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + value);
      }
    }
  }
}
