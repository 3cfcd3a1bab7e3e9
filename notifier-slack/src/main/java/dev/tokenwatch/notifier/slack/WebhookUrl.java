package dev.tokenwatch.notifier.slack;

import dev.tokenwatch.domain.WebhookAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated webhook URL. The URL is a secret (anyone holding it can post to the channel): it is
 * only ever shown through {@link #redacted()}, and text that may quote it (exception messages) goes
 * through {@link #scrub(String)} before it is logged.
 */
final class WebhookUrl {

  private final URI uri;
  private final String redacted;
  private final List<String> secretParts;

  private WebhookUrl(URI uri) {
    this.uri = uri;
    this.redacted = redact(uri);
    List<String> parts = new ArrayList<>();
    parts.add(uri.toString());
    if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
      parts.add(uri.getRawPath());
      String[] segments = uri.getRawPath().split("/");
      // the first segment ("services") is public; the ones after it identify team, channel and token
      for (int i = 2; i < segments.length; i++) {
        if (segments[i].length() >= 4) {
          parts.add(segments[i]);
        }
      }
    }
    if (uri.getRawQuery() != null) {
      parts.add(uri.getRawQuery());
    }
    this.secretParts = List.copyOf(parts);
  }

  /**
   * Parses and checks {@code text} by the domain's rule ({@link WebhookAddress}): an absolute https
   * URL, or http to a loopback address (for tests). Error messages never contain the URL itself.
   */
  static WebhookUrl parse(String text) {
    return new WebhookUrl(WebhookAddress.parse(text));
  }

  /** {@code https://hooks.slack.com/services/T0…/***}: scheme, host, first path segment and two characters. */
  static String redact(URI uri) {
    StringBuilder sb = new StringBuilder().append(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() != -1) {
      sb.append(':').append(uri.getPort());
    }
    String[] segments = uri.getRawPath() == null ? new String[0] : uri.getRawPath().split("/");
    if (segments.length >= 3) {
      String next = segments[2];
      sb.append('/').append(segments[1]).append('/').append(next, 0, Math.min(2, next.length())).append("…/***");
    } else {
      sb.append("/***");
    }
    return sb.toString();
  }

  URI uri() {
    return uri;
  }

  String redacted() {
    return redacted;
  }

  /**
   * 8 hex digits of a SHA-256 of the URL: tells webhooks apart (in the outbox's sink names) without
   * revealing them.
   */
  String fingerprint() {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(uri.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** {@code text} with every part of the URL that identifies the webhook replaced by its redaction. */
  String scrub(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String part : secretParts) {
      result = result.replace(part, part.equals(uri.toString()) ? redacted : "***");
    }
    return result;
  }

  @Override
  public String toString() {
    return redacted;
  }
}
