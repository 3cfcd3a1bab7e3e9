package dev.tokenwatch.persistence.file;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of the manifest, read and written without a JSON library: the manifest is one small
 * object of strings, integers, doubles, null, arrays and objects, and initialising Jackson's {@code
 * ObjectMapper} to read it cost every command about 30 ms of start-up (issue 19). Reads any JSON
 * (RFC 8259) into {@code Map} (in order), {@code List}, {@code String}, {@code Long} (integers),
 * {@code Double} (numbers with a fraction or exponent), {@code Boolean} and {@code null}; what it
 * writes is standard JSON, so a manifest stays readable by earlier tokenwatch versions (Jackson).
 */
final class ManifestJson {

  private final String text;
  private int at;

  private ManifestJson(String text) {
    this.text = text;
  }

  /**
   * The value {@code text} holds, whole.
   *
   * @throws FormatProblem naming the character offset and what was expected there
   */
  static Object parse(String text) throws FormatProblem {
    ManifestJson json = new ManifestJson(text);
    Object value = json.value(0);
    json.skipSpace();
    if (json.at != text.length()) {
      throw json.problem("end of the JSON");
    }
    return value;
  }

  private Object value(int depth) throws FormatProblem {
    if (depth > 16) {
      throw problem("at most 16 levels of nesting");
    }
    skipSpace();
    if (at >= text.length()) {
      throw problem("a value");
    }
    char c = text.charAt(at);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw problem("a value");
    }
  }

  private Map<String, Object> object(int depth) throws FormatProblem {
    Map<String, Object> members = new LinkedHashMap<>();
    at++; // {
    skipSpace();
    if (peek() == '}') {
      at++;
      return members;
    }
    while (true) {
      skipSpace();
      if (peek() != '"') {
        throw problem("a member name in quotes");
      }
      String name = string();
      skipSpace();
      expect(':');
      if (members.put(name, value(depth + 1)) != null) {
        throw problem("no second member \"" + name + "\"");
      }
      skipSpace();
      if (peek() == ',') {
        at++;
      } else {
        expect('}');
        return members;
      }
    }
  }

  private List<Object> array(int depth) throws FormatProblem {
    List<Object> items = new ArrayList<>();
    at++; // [
    skipSpace();
    if (peek() == ']') {
      at++;
      return items;
    }
    while (true) {
      items.add(value(depth + 1));
      skipSpace();
      if (peek() == ',') {
        at++;
      } else {
        expect(']');
        return items;
      }
    }
  }

  private String string() throws FormatProblem {
    at++; // opening quote
    StringBuilder out = null;
    int from = at;
    while (true) {
      if (at >= text.length()) {
        throw problem("a closing quote");
      }
      char c = text.charAt(at);
      if (c == '"') {
        String s = out == null ? text.substring(from, at) : out.append(text, from, at).toString();
        at++;
        return s;
      }
      if (c < 0x20) {
        throw problem("no control character in a string");
      }
      if (c != '\\') {
        at++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder();
      }
      out.append(text, from, at);
      at++;
      char e = at < text.length() ? text.charAt(at) : 0;
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (at + 4 >= text.length()) {
            throw problem("4 hex digits after \\u");
          }
          int code = 0;
          for (int i = 1; i <= 4; i++) {
            int digit = Character.digit(text.charAt(at + i), 16);
            if (digit < 0) {
              throw problem("4 hex digits after \\u");
            }
            code = code * 16 + digit;
          }
          out.append((char) code);
          at += 4;
        }
        default -> throw problem("an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      }
      at++;
      from = at;
    }
  }

  private Object number() throws FormatProblem {
    int from = at;
    boolean integral = true;
    if (peek() == '-') {
      at++;
    }
    int digits = digits();
    if (digits == 0 || (digits > 1 && text.charAt(at - digits) == '0')) {
      at = from;
      throw problem("a number");
    }
    if (peek() == '.') {
      integral = false;
      at++;
      if (digits() == 0) {
        throw problem("digits after the decimal point");
      }
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      at++;
      if (peek() == '+' || peek() == '-') {
        at++;
      }
      if (digits() == 0) {
        throw problem("digits of the exponent");
      }
    }
    String literal = text.substring(from, at);
    if (integral) {
      try {
        return Long.parseLong(literal);
      } catch (NumberFormatException e) {
        at = from;
        throw problem("an integer of at most 64 bits, not " + literal);
      }
    }
    return Double.parseDouble(literal);
  }

  private int digits() {
    int from = at;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    return at - from;
  }

  private Object literal(String word, Object value) throws FormatProblem {
    if (!text.startsWith(word, at)) {
      throw problem("a value");
    }
    at += word.length();
    return value;
  }

  private void expect(char c) throws FormatProblem {
    if (peek() != c) {
      throw problem("'" + c + "'");
    }
    at++;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : 0;
  }

  private void skipSpace() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private FormatProblem problem(String expected) {
    String found = at >= text.length() ? "the end" : "'" + text.charAt(at) + "'";
    return new FormatProblem("expected " + expected + " at character " + at + " of the JSON, found " + found);
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** Appends {@code value} as a JSON string. */
  static StringBuilder quote(StringBuilder out, String value) {
    if (value == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"');
  }

  /** Appends {@code value} as a JSON number. */
  static StringBuilder number(StringBuilder out, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("JSON has no number " + value);
    }
    return out.append(value);
  }
}
