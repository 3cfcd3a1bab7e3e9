package dev.tokenwatch.domain;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rule for a webhook URL an alert sink posts to (a Slack incoming webhook): an absolute https
 * URL with a host and no user credentials, or plain http to a loopback host (tests). One rule for
 * every caller: the configuration file, the Spring properties and the sink itself. The URL is a
 * secret, so no message quotes it (the scheme and the host may be named).
 */
public final class WebhookAddress {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private WebhookAddress() {}

  /**
   * {@code text}, trimmed, as a URI.
   *
   * @throws IllegalArgumentException starting with "webhookUrl", if the rule refuses it; the
   *     message never contains the URL
   */
  public static URI parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("webhookUrl is required (the Slack incoming-webhook URL), got "
          + (text == null ? "null" : "a blank string"));
    }
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      // e.getMessage() quotes the input, so only the reason and position are reported
      throw new IllegalArgumentException("webhookUrl is not a valid URL: " + e.getReason() + " at character "
          + e.getIndex() + " (value not shown: it is a secret)");
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
    return uri;
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
}
