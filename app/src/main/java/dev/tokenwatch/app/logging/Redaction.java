package dev.tokenwatch.app.logging;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in text bound for a person: every log line on stderr (Log4j, and
 * {@code java.util.logging} routed into it) and every message the CLI prints. Two kinds:
 * <ul>
 *   <li>the values configured as secrets (passwords, webhook URLs, secrets inside a JDBC URL),
 *       registered when the configuration is read, replaced wherever they occur;
 *   <li>secrets recognisable by their form, whoever wrote them: a URL's {@code user:password@},
 *       {@code password=}, {@code pwd=} and {@code ...password=} parameters (PostgreSQL {@code ?&},
 *       H2 {@code ;}), and the path of a Slack incoming webhook.
 * </ul>
 */
public final class Redaction {

  /** What a secret is replaced with. */
  public static final String REDACTED = "<redacted>";
  /** Shorter values are not registered: masking them would garble unrelated text. */
  static final int MIN_LENGTH = 4;

  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("(?i)([?&;](?:[a-z_.]*password|pwd)=)[^&;\\s\"']*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?;\\s\"']*:)[^@/\\s\"']*@");
  private static final Pattern SLACK_WEBHOOK = Pattern.compile("(hooks\\.slack\\.com/)[^\\s\"'<>]+");

  private static final Set<String> SECRETS = new CopyOnWriteArraySet<>();

  private Redaction() {}

  /** Masks {@code secret} from now on, wherever it occurs (ignored if null or shorter than 4 characters). */
  public static void register(String secret) {
    if (secret != null && secret.length() >= MIN_LENGTH) {
      SECRETS.add(secret);
    }
  }

  /** {@code text} with every registered secret and every recognisable secret masked. */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String result = text;
    // Longest first, so a webhook URL is masked as a whole before a secret it contains.
    List<String> secrets = SECRETS.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    for (String secret : secrets) {
      result = result.replace(secret, REDACTED);
    }
    result = PASSWORD_PARAMETER.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
    result = USER_INFO.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(REDACTED) + "@");
    return SLACK_WEBHOOK.matcher(result).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
  }
}
