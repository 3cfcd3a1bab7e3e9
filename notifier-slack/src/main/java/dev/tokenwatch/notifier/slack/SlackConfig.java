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

  private final WebhookUrl webhook;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final String hostName;

  private SlackConfig(Builder b, WebhookUrl webhook) {
    this.webhook = webhook;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
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

  /** The host name shown in messages; empty when it is looked up on first delivery. */
  public Optional<String> hostName() {
    return Optional.ofNullable(hostName);
  }

  @Override
  public String toString() {
    return "SlackConfig[webhookUrl=" + webhook.redacted() + ", connectTimeout=" + connectTimeout
        + ", requestTimeout=" + requestTimeout + ", hostName=" + (hostName == null ? "(looked up)" : hostName) + ']';
  }

  /** Collects settings; {@link #build()} checks them all. Not thread-safe. */
  public static final class Builder {
    private String webhookUrl;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
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

    /** The host name shown in each message; by default looked up once, on the first delivery. */
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
  }
}
