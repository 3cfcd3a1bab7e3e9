package dev.tokenwatch.domain.ledger;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model name or a pattern of model names: {@code *} stands for any run of characters, {@code ?}
 * for one; everything else matches itself, case-sensitively (as providers write model names).
 * {@code claude-opus-*} matches {@code claude-opus-4-1-20250805}.
 */
public final class ModelGlob {

  private final String text;
  private final Pattern pattern;

  private ModelGlob(String text) {
    this.text = text;
    this.pattern = isExact(text) ? null : Pattern.compile(toRegex(text));
  }

  /**
   * The glob of {@code text}.
   *
   * @throws IllegalArgumentException if it is blank
   */
  public static ModelGlob of(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("model pattern must not be blank, got "
          + (text == null ? "null" : '"' + text + '"'));
    }
    return new ModelGlob(text);
  }

  /** Whether {@code model} matches. */
  public boolean matches(String model) {
    return pattern == null ? text.equals(model) : pattern.matcher(model).matches();
  }

  /** Whether this is a plain name without wildcards. */
  public boolean isExact() {
    return pattern == null;
  }

  /** The pattern as written. */
  public String text() {
    return text;
  }

  /**
   * The pattern as a SQL {@code LIKE} pattern with {@code \} as escape character: {@code *} becomes
   * {@code %}, {@code ?} becomes {@code _}, and literal {@code %}, {@code _} and {@code \} are
   * escaped.
   */
  public String toSqlLike() {
    StringBuilder like = new StringBuilder(text.length() + 4);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '*' -> like.append('%');
        case '?' -> like.append('_');
        case '%', '_', '\\' -> like.append('\\').append(c);
        default -> like.append(c);
      }
    }
    return like.toString();
  }

  private static boolean isExact(String text) {
    return text.indexOf('*') < 0 && text.indexOf('?') < 0;
  }

  private static String toRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return regex.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelGlob other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text);
  }

  @Override
  public String toString() {
    return text;
  }
}
