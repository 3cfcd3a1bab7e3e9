package dev.tokenwatch.config;

import dev.tokenwatch.app.logging.Redaction;
import java.net.URI;
import java.util.Objects;

/** One entry of the {@code notifiers} list. */
sealed interface NotifierConfig {

  /** The {@code type} value. */
  String type();

  /** A one-line description for people, with every secret redacted. */
  String describe();

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

  /** {@code type: slack}: alerts are posted to a Slack incoming webhook. */
  record Slack(Secret webhookUrl) implements NotifierConfig {
    public Slack {
      Objects.requireNonNull(webhookUrl, "webhookUrl");
      // The path alone is the secret too (a message may name it without scheme and host).
      Redaction.register(URI.create(webhookUrl.reveal()).getRawPath());
    }

    @Override
    public String type() {
      return "slack";
    }

    /** Scheme and host of the webhook only: the path of an incoming webhook is its secret. */
    String redactedUrl() {
      URI uri = URI.create(webhookUrl.reveal());
      return uri.getScheme() + "://" + uri.getRawAuthority() + "/" + Secret.REDACTED;
    }

    @Override
    public String describe() {
      return "slack webhook " + redactedUrl();
    }

    @Override
    public String toString() {
      return "Slack[webhookUrl=" + redactedUrl() + "]";
    }
  }
}
