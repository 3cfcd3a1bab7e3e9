package dev.tokenwatch.config;

import dev.tokenwatch.domain.WebhookAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/** One notifier: where alerts go ({@code notifiers.sinks}, or the list form of {@code notifiers}). */
public sealed interface NotifierConfig {

  /** The {@code type} value. */
  String type();

  /** A one-line description for people, with every secret redacted. */
  String describe();

  /** The secret values this notifier carries, to be masked wherever they might appear. */
  default List<String> secrets() {
    return List.of();
  }

  /** {@code type: console}: alerts are printed on stderr. */
  record Console() implements NotifierConfig {
    @Override
    public String type() {
      return "console";
    }

    @Override
    public String describe() {
      return "console (alerts on stderr)";
    }
  }

  /**
   * {@code type: slack}: alerts are posted to a Slack incoming webhook.
   *
   * @param webhookUrl an https URL with a host (http only to a loopback host), the rule of {@link
   *     WebhookAddress} that the Slack sink applies too; never shown (its path is the secret)
   */
  record Slack(Secret webhookUrl) implements NotifierConfig {
    /** @throws IllegalArgumentException if {@link WebhookAddress} refuses the URL; the message does not show it */
    public Slack {
      Objects.requireNonNull(webhookUrl, "webhookUrl");
      WebhookAddress.parse(webhookUrl.reveal());
    }

    @Override
    public String type() {
      return "slack";
    }

    /** Scheme and host of the webhook only: the path of an incoming webhook is its secret. */
    public String redactedUrl() {
      URI uri = URI.create(webhookUrl.reveal().trim());
      return uri.getScheme() + "://" + uri.getRawAuthority() + "/" + Secret.REDACTED;
    }

    @Override
    public String describe() {
      return "slack webhook " + redactedUrl();
    }

    /** The URL, and its path alone (a message may name it without scheme and host). */
    @Override
    public List<String> secrets() {
      return List.of(webhookUrl.reveal(), URI.create(webhookUrl.reveal().trim()).getRawPath());
    }

    @Override
    public String toString() {
      return "Slack[webhookUrl=" + redactedUrl() + "]";
    }
  }
}
