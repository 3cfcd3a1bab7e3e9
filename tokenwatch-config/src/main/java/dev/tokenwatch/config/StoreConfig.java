package dev.tokenwatch.config;

import java.nio.file.Path;
import dev.tokenwatch.app.logging.Redaction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where usage is kept, as configured under {@code store}. */
sealed interface StoreConfig {

  /** The {@code type} value. */
  String type();

  /** A one-line description for people, with every secret redacted. */
  String describe();

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

  /** {@code type: jdbc}: a SQL database (H2 or PostgreSQL). */
  record Jdbc(String url, Optional<String> user, Optional<Secret> password, Optional<String> schema)
      implements StoreConfig {

    private static final Pattern URL_SECRET =
        Pattern.compile("(?i)((?:[a-z_.]*password|pwd|secret|token)=)([^;&]*)");
    private static final Pattern URL_USER_INFO = Pattern.compile("(//[^/@:]*:)([^/@]*)@");

    public Jdbc {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(schema, "schema");
      // Secrets inside the URL are masked in every log line and message from now on, like store.password.
      for (Pattern secret : List.of(URL_SECRET, URL_USER_INFO)) {
        Matcher m = secret.matcher(url);
        while (m.find()) {
          Redaction.register(m.group(2));
        }
      }
    }

    @Override
    public String type() {
      return "jdbc";
    }

    /** The URL with any password it carries replaced by {@code <redacted>}. */
    String redactedUrl() {
      return redact(url);
    }

    static String redact(String url) {
      String withoutParams = URL_SECRET.matcher(url).replaceAll("$1" + Secret.REDACTED);
      return URL_USER_INFO.matcher(withoutParams).replaceAll("$1" + Secret.REDACTED + "@");
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
