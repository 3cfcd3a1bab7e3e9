package dev.tokenwatch.notifier.slack;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A validated webhook URL. The URL is a secret (anyone holding it can post to the channel): it is
 * only ever shown through {@link #redacted()}, and text that may quote it (exception messages) goes
 * through {@link #scrub(String)} before it is logged.
 */
final class WebhookUrl {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

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
   * Parses and checks {@code text}: an absolute https URL, or http to a loopback address (for
   * tests). Error messages never contain the URL itself.
   */
  static WebhookUrl parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("webhookUrl is required (the Slack incoming-webhook URL), got "
          + (text == null ? "null" : "a blank string"));
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      // e.getMessage() quotes the input, so only the reason and position are reported
      throw new IllegalArgumentException(
          "webhookUrl is not a valid URL: " + e.getReason() + " at character " + e.getIndex() + " (value not shown: it is a secret)");
    }
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "webhookUrl must be an absolute URL with a host, such as https://hooks.slack.com/services/T0…/***");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("webhookUrl must not contain user credentials (user:password@)");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http")) {
      if (!isLoopback(uri.getHost())) {
        throw new IllegalArgumentException("webhookUrl must use https; plain http is accepted only for a loopback host"
            + " such as 127.0.0.1 (tests), got http to host '" + uri.getHost() + "'");
      }
    } else if (!scheme.equals("https")) {
      throw new IllegalArgumentException("webhookUrl must use https, got scheme '" + uri.getScheme() + "'");
    }
    return new WebhookUrl(uri);
  }

  /** localhost, or a literal loopback IP; no name lookup, so no DNS answer can make a host "loopback". */
  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IPV4.matcher(host).matches() && !host.startsWith("[")) {
      return false;
    }
    try {
      String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      return InetAddress.getByName(literal).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
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
