package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads the values of one line's fields with the streaming parser and remembers the first value of
 * the wrong type (its field and value, for the malformed-line reason). One instance per line
 * parser, shared by its formats; {@link #reset} before each line.
 */
final class JsonValues {

  /** A count that the line does not have (or has as {@code null}). */
  static final long ABSENT = Long.MIN_VALUE;
  /** A count of the wrong type; {@link #invalidText()} says which. */
  static final long INVALID = Long.MIN_VALUE + 1;

  private String invalidField;
  private String invalidExpected;
  private String invalidValue;

  void reset() {
    invalidField = null;
    invalidExpected = null;
    invalidValue = null;
  }

  boolean hasInvalid() {
    return invalidField != null;
  }

  /** "usage.prompt_tokens must be a whole number, got \"5\"". */
  String invalidText() {
    return invalidField + " must be " + invalidExpected + ", got " + invalidValue;
  }

  /** A string field; null when absent or null, and an invalid value is recorded. */
  String text(JsonParser p, JsonToken value, String field) throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (value != JsonToken.VALUE_NULL) {
      invalid(field, "a string", p, value);
      p.skipChildren();
    }
    return null;
  }

  /** A timestamp field: an ISO-8601 string or epoch seconds (a BigDecimal); null when absent. */
  Object time(JsonParser p, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDecimalValue();
      default -> {
        p.skipChildren();
        yield null;
      }
    };
  }

  /** A whole-number field; {@link #ABSENT} or {@link #INVALID} (recorded) otherwise. */
  long number(JsonParser p, JsonToken value, String field) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (value == JsonToken.VALUE_NULL) {
      return ABSENT;
    }
    invalid(field, "a whole number", p, value);
    p.skipChildren();
    return INVALID;
  }

  /**
   * Checks that {@code value} opens an object; otherwise records it as invalid (unless null) and
   * skips it.
   */
  boolean object(JsonParser p, JsonToken value, String field) throws IOException {
    if (value == JsonToken.START_OBJECT) {
      return true;
    }
    if (value != JsonToken.VALUE_NULL) {
      invalid(field, "an object", p, value);
      p.skipChildren();
    }
    return false;
  }

  /**
   * For a top-level field that should hold a scalar: whether {@code value} is an object or array
   * instead, recorded as invalid (unless {@code expected} is null: a value that is simply not used)
   * but not skipped, so that every format reading the field sees it; the line parser skips it.
   */
  boolean structured(String field, String expected, JsonParser p, JsonToken value) throws IOException {
    if (!value.isStructStart()) {
      return false;
    }
    if (expected != null) {
      invalid(field, expected, p, value);
    }
    return true;
  }

  /** Records {@code field} as invalid unless an earlier field was: the first one is reported. */
  void invalid(String field, String expected, JsonParser p, JsonToken value) throws IOException {
    if (invalidField == null) {
      invalidField = field;
      invalidExpected = expected;
      invalidValue = describe(value, p);
    }
  }

  static String describe(JsonToken token, JsonParser p) throws IOException {
    if (token == null) {
      return "end of line";
    }
    return switch (token) {
      case VALUE_STRING -> '"' + abbreviate(p.getText()) + '"';
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> p.getText();
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> token.asString() == null ? token.name() : token.asString();
    };
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }
}
