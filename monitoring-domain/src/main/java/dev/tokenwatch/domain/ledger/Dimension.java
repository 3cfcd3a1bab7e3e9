package dev.tokenwatch.domain.ledger;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.util.Map;
import java.util.Objects;

/**
 * A dimension a query can group by: the model, the project, the session, or the value of one tag.
 *
 * @param kind what is grouped by
 * @param tagKey the tag's key for {@link Kind#TAG}, else {@code null}
 */
public record Dimension(Kind kind, String tagKey) {

  /** What a dimension groups by. */
  public enum Kind { MODEL, PROJECT, SESSION, TAG }

  /** Group by model. */
  public static final Dimension MODEL = new Dimension(Kind.MODEL, null);
  /** Group by project. */
  public static final Dimension PROJECT = new Dimension(Kind.PROJECT, null);
  /** Group by session. */
  public static final Dimension SESSION = new Dimension(Kind.SESSION, null);

  public Dimension {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.TAG) {
      TokenUsageEvent.requireValidTag(tagKey, "x");
    } else if (tagKey != null) {
      throw new IllegalArgumentException("only a tag dimension has a key, got " + kind + " with " + tagKey);
    }
  }

  /** Group by the value of tag {@code key}. */
  public static Dimension tag(String key) {
    return new Dimension(Kind.TAG, key);
  }

  /**
   * Parses {@code model}, {@code project}, {@code session} or {@code tag:KEY}.
   *
   * @throws IllegalArgumentException naming the text
   */
  public static Dimension parse(String text) {
    String t = text == null ? "" : text.trim();
    switch (t) {
      case "model":
        return MODEL;
      case "project":
        return PROJECT;
      case "session":
        return SESSION;
      default:
        if (t.startsWith("tag:") && t.length() > 4) {
          return tag(t.substring(4));
        }
        throw new IllegalArgumentException(
            "grouping must be one of model, project, session, tag:KEY, got \"" + text + '"');
    }
  }

  /** The value of this dimension for an event with these dimensions ({@code null} if it has none). */
  public String valueOf(String model, String project, String session, Map<String, String> tags) {
    return switch (kind) {
      case MODEL -> model;
      case PROJECT -> project;
      case SESSION -> session;
      case TAG -> tags.get(tagKey);
    };
  }

  /** The value of this dimension for {@code event}. */
  public String valueOf(TokenUsageEvent event) {
    return valueOf(event.model(), event.project(), event.session(), event.tags());
  }

  /** As parsed: {@code model}, {@code tag:team}. */
  public String label() {
    return kind == Kind.TAG ? "tag:" + tagKey : kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String toString() {
    return label();
  }
}
