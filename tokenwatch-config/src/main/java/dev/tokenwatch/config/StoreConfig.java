package dev.tokenwatch.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where usage is kept, as configured under {@code store}. */
public sealed interface StoreConfig {

  /** The {@code type} values, in the order messages list them. */
  List<String> TYPES = List.of("file", "jdbc", "memory");

  /** The {@code type} value. */
  String type();

  /** A one-line description for people, with every secret redacted. */
  String describe();

  /** The secret values this store's settings carry, to be masked wherever they might appear. */
  default List<String> secrets() {
    return List.of();
  }

  /** {@code type: memory}: usage lives as long as the process. */
  record Memory() implements StoreConfig {
    @Override
    public String type() {
      return "memory";
    }

    @Override
    public String describe() {
      return "memory store (usage is lost when the process ends)";
    }
  }

  /** {@code type: file}: a directory shared by every process that uses it. */
  record File(Path path) implements StoreConfig {
    public File {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String type() {
      return "file";
    }

    @Override
    public String describe() {
      return "file store in " + path;
    }
  }

  /**
   * {@code type: jdbc}: a SQL database (H2 or PostgreSQL).
   *
   * @param url a JDBC URL ({@code jdbc:...}), required; secrets inside it are never shown
   * @param user the database user, if any
   * @param password the database password, if any
   * @param schema the schema, an SQL identifier; the connection's current schema if empty
   */
  record Jdbc(String url, Optional<String> user, Optional<Secret> password, Optional<String> schema)
      implements StoreConfig {

    private static final Pattern URL_SECRET =
        Pattern.compile("(?i)((?:[a-z_.]*password|pwd|secret|token)=)([^;&]*)");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/@:]*:)([^/@]*)@");
    private static final Pattern SQL_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /**
     * @throws IllegalArgumentException naming the field if the URL is missing (null or blank) or not
     *     a JDBC URL, or the schema not an identifier
     */
    public Jdbc {
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException("url is required for a jdbc store (e.g. jdbc:postgresql://localhost/tokenwatch)");
      }
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(schema, "schema");
      if (!url.startsWith("jdbc:")) {
        throw new IllegalArgumentException("url must be a JDBC URL starting with \"jdbc:\", got "
            + ConfigException.quote(redact(url)));
      }
      if (schema.isPresent() && !SQL_IDENTIFIER.matcher(schema.get()).matches()) {
        throw new IllegalArgumentException("schema must be an SQL identifier (a letter or '_', then letters, digits "
            + "or '_', at most 63), got " + ConfigException.quote(schema.get()));
      }
    }

    @Override
    public String type() {
      return "jdbc";
    }

    /** The URL with any password it carries replaced by {@code <redacted>}. */
    public String redactedUrl() {
      return redact(url);
    }

    /** {@code url} with any password it carries replaced by {@code <redacted>}. */
    public static String redact(String url) {
      String withoutParams = URL_SECRET.matcher(url).replaceAll("$1" + Secret.REDACTED);
      return URL_USER_INFO.matcher(withoutParams).replaceAll("$1" + Secret.REDACTED + "@");
    }

    /** The password and the secrets inside the URL. */
    @Override
    public List<String> secrets() {
      List<String> secrets = new ArrayList<>();
      password.ifPresent(p -> secrets.add(p.reveal()));
      for (Pattern secret : List.of(URL_SECRET, URL_USER_INFO)) {
        Matcher m = secret.matcher(url);
        while (m.find()) {
          secrets.add(m.group(2));
        }
      }
      return secrets;
    }

    @Override
    public String describe() {
      return "jdbc store at " + redactedUrl() + user.map(u -> " as " + u).orElse("")
          + schema.map(s -> ", schema " + s).orElse("");
    }

    @Override
    public String toString() {
      return "Jdbc[url=" + redactedUrl() + ", user=" + user.orElse("") + ", password="
          + password.map(p -> Secret.REDACTED).orElse("") + ", schema=" + schema.orElse("") + "]";
    }
  }
}
