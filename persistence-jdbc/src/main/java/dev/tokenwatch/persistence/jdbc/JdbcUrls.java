package dev.tokenwatch.persistence.jdbc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JDBC URL handling: masking secrets for messages, and the settings H2 file databases need. */
final class JdbcUrls {

  private JdbcUrls() {}

  /**
   * A URL parameter carrying a secret (PostgreSQL {@code ?&}, H2 {@code ;}): {@code password=},
   * {@code pwd=} and every {@code ...password=} such as pgjdbc's {@code sslpassword=}.
   */
  private static final Pattern PASSWORD_PARAMETER =
      Pattern.compile("(?i)([?&;](?:[a-z_.]*password|pwd)=)([^&;]*)");
  /** {@code //user:secret@host}. */
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?;]*:)([^@/]*)@");

  static final String MASK = "***";

  /** The URL with any password replaced by {@value #MASK}. */
  static String mask(String url) {
    if (url == null) {
      return "null";
    }
    String masked = PASSWORD_PARAMETER.matcher(url).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    return USER_INFO.matcher(masked).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
  }

  /** The secrets {@code url} carries itself (a userinfo password, password parameters), as written. */
  static List<String> secretsIn(String url) {
    List<String> secrets = new ArrayList<>();
    if (url == null) {
      return secrets;
    }
    for (Pattern p : List.of(PASSWORD_PARAMETER, USER_INFO)) {
      Matcher m = p.matcher(url);
      while (m.find()) {
        if (!m.group(2).isEmpty()) {
          secrets.add(m.group(2));
        }
      }
    }
    return secrets;
  }

  /** {@code text} with every occurrence of {@code secret} replaced by {@value #MASK}. */
  static String scrub(String text, String secret) {
    if (text == null || secret == null || secret.isEmpty()) {
      return text;
    }
    return text.replace(secret, MASK);
  }

  /** {@code text} with every one of {@code secrets} replaced by {@value #MASK}, and any URL in it masked. */
  static String scrub(String text, List<String> secrets) {
    if (text == null) {
      return null;
    }
    String result = text;
    for (String secret : secrets) {
      result = scrub(result, secret);
    }
    return mask(result);
  }

  /** Whether {@code url} has {@code //user:password@host}. */
  static boolean hasUserInfo(String url) {
    return url != null && USER_INFO.matcher(url).find();
  }

  static boolean isH2(String url) {
    return url.regionMatches(true, 0, "jdbc:h2:", 0, "jdbc:h2:".length());
  }

  /**
   * H2 settings this store does not allow: {@code AUTO_SERVER} starts a TCP server on every
   * interface that anyone who reads the lock file can log into (and run Java code through).
   */
  static void rejectUnsafeH2Settings(String url) {
    if (!isH2(url)) {
      return;
    }
    Optional<String> autoServer = setting(url, "AUTO_SERVER");
    if (autoServer.isPresent() && !autoServer.get().equalsIgnoreCase("FALSE")) {
      throw new IllegalArgumentException("url " + mask(url) + " sets AUTO_SERVER=" + autoServer.get()
          + ", which is not supported: H2's automatic server listens on every network interface and lets "
          + "whoever reads the lock file connect; an H2 file database is opened by one process at a time "
          + "(use the file store or PostgreSQL for several processes)");
    }
  }

  /**
   * An H2 URL with the settings this store relies on added where the URL does not set them:
   * PostgreSQL compatibility (one SQL path for both databases) and, for file databases, the
   * operating system's lock on the database file ({@code FILE_LOCK=FS}: one process at a time, no
   * lock file, released when the process dies) and {@code DB_CLOSE_ON_EXIT=FALSE} (the store is
   * closed by its owner, after what still writes to it, not by H2's shutdown hook).
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
    if (h2File(url).isPresent()) {
      appendIfAbsent(result, lower, "FILE_LOCK", "FS");
      appendIfAbsent(result, lower, "DB_CLOSE_ON_EXIT", "FALSE");
    }
    return result.toString();
  }

  /**
   * The database file path without extension of an embedded H2 file URL ({@code jdbc:h2:file:/d/db},
   * {@code jdbc:h2:/d/db}, {@code jdbc:h2:./db}), empty for in-memory, server and zip URLs.
   */
  static Optional<Path> h2File(String url) {
    if (!isH2(url)) {
      return Optional.empty();
    }
    String rest = url.substring("jdbc:h2:".length());
    int semicolon = rest.indexOf(';');
    String name = semicolon < 0 ? rest : rest.substring(0, semicolon);
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:") || lower.startsWith("zip:")
        || lower.startsWith("nio") || lower.startsWith("split:") || lower.startsWith("async:")
        || lower.startsWith("memfs:") || lower.startsWith("memlzf:") || lower.startsWith("retry:")) {
      return Optional.empty();
    }
    if (lower.startsWith("file:")) {
      name = name.substring("file:".length());
    }
    if (name.startsWith("~")) {
      name = System.getProperty("user.home") + name.substring(1);
    }
    return name.isEmpty() ? Optional.empty() : Optional.of(Path.of(name).toAbsolutePath().normalize());
  }

  /** The value of the H2 setting {@code ;NAME=value} in {@code url}, if it sets it. */
  static Optional<String> setting(String url, String name) {
    Matcher m = Pattern.compile("(?i);" + Pattern.quote(name) + "=([^;]*)").matcher(url);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  private static void appendIfAbsent(StringBuilder url, String lowerUrl, String setting, String value) {
    if (!lowerUrl.contains(";" + setting.toLowerCase(Locale.ROOT) + "=")) {
      url.append(';').append(setting).append('=').append(value);
    }
  }
}
