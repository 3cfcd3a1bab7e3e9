package dev.tokenwatch.persistence.jdbc;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDBC URL handling: masking secrets for messages, and the settings H2 file databases need. */
final class JdbcUrls {

  private JdbcUrls() {}

  /** {@code password=...} or {@code pwd=...} as a URL parameter (PostgreSQL {@code ?&}, H2 {@code ;}). */
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;](?:password|pwd)=)[^&;]*");
  /** {@code //user:secret@host}. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?;]*:)[^@/]*@");

  static final String MASK = "***";

  /** The URL with any password replaced by {@value #MASK}. */
  static String mask(String url) {
    if (url == null) {
      return "null";
    }
    String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    return USER_INFO.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
  }

  /** {@code text} with every occurrence of {@code secret} replaced by {@value #MASK}. */
  static String scrub(String text, String secret) {
    if (text == null || secret == null || secret.isEmpty()) {
      return text;
    }
    return text.replace(secret, MASK);
  }

  static boolean isH2(String url) {
    return url.regionMatches(true, 0, "jdbc:h2:", 0, "jdbc:h2:".length());
  }

  /**
   * An H2 URL with the settings this store relies on added where the URL does not set them:
   * PostgreSQL compatibility (one SQL path for both databases) and, for file databases, {@code
   * AUTO_SERVER=TRUE} so a second process can open the same database.
   */
  static String withH2Defaults(String url) {
    if (!isH2(url)) {
      return url;
    }
    String lower = url.toLowerCase(Locale.ROOT);
    StringBuilder result = new StringBuilder(url);
    appendIfAbsent(result, lower, "MODE", "PostgreSQL");
    appendIfAbsent(result, lower, "DATABASE_TO_LOWER", "TRUE");
    appendIfAbsent(result, lower, "DEFAULT_NULL_ORDERING", "HIGH");
    if (isFileDatabase(lower)) {
      appendIfAbsent(result, lower, "AUTO_SERVER", "TRUE");
    }
    return result.toString();
  }

  private static boolean isFileDatabase(String lowerUrl) {
    String rest = lowerUrl.substring("jdbc:h2:".length());
    return !(rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:"));
  }

  private static void appendIfAbsent(StringBuilder url, String lowerUrl, String setting, String value) {
    if (!lowerUrl.contains(";" + setting.toLowerCase(Locale.ROOT) + "=")) {
      url.append(';').append(setting).append('=').append(value);
    }
  }
}
