package dev.tokenwatch.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
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
   * @param webhookUrl an http(s) URL with a host; never shown (its path is the secret)
   */
  record Slack(Secret webhookUrl) implements NotifierConfig {
    /** @throws IllegalArgumentException if the URL is not an http(s) URL with a host; the message does not show it */
    public Slack {
      Objects.requireNonNull(webhookUrl, "webhookUrl");
      try {
        URI uri = new URI(webhookUrl.reveal().trim());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getRawAuthority() == null) {
          throw new IllegalArgumentException("webhookUrl must be an https URL such as "
              + "https://hooks.slack.com/services/... (the value is not shown: it is a secret)");
        }
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("webhookUrl is not a valid URL (the value is not shown: it is a secret)");
      }
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
