package dev.tokenwatch.config;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} and {@code ${NAME:-default}} in a configuration value, replaced by environment
 * variables; <code>$${</code> stands for a literal <code>${</code>. An unset variable without a default is an
 * error, as is a malformed reference.
 */
final class Variables {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> variables;

  Variables(Map<String, String> variables) {
    this.variables = variables;
  }

  /**
   * {@code text} with every reference replaced.
   *
   * @throws IllegalArgumentException whose message continues a sentence that starts with the key
   *     ("has a malformed variable reference; ...", "refers to environment variable X, which is not set")
   */
  String expand(String text) {
    if (text.indexOf('$') < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int close = text.indexOf('}', i + 2);
        String inner = close < 0 ? "" : text.substring(i + 2, close);
        int dash = inner.indexOf(":-");
        String name = dash < 0 ? inner : inner.substring(0, dash);
        if (close < 0 || !NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("has a malformed variable reference; write ${NAME} or ${NAME:-default}"
              + " (or $${ for a literal ${)");
        }
        String value = variables.get(name);
        if (dash >= 0) {
          out.append(value == null || value.isEmpty() ? inner.substring(dash + 2) : value);
        } else if (value == null) {
          throw new IllegalArgumentException("refers to environment variable " + name + ", which is not set");
        } else {
          out.append(value);
        }
        i = close + 1;
      } else {
        out.append(text.charAt(i++));
      }
    }
    return out.toString();
  }
}
