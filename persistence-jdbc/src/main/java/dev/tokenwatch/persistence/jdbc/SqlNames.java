package dev.tokenwatch.persistence.jdbc;

import java.util.regex.Pattern;

/**
 * The schema and table names of one store. Names are spliced into SQL (identifiers cannot be bound
 * as parameters), so they are validated against a strict pattern first and used unquoted: the
 * database folds them to its own case consistently.
 */
final class SqlNames {

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final int MAX_SCHEMA_LENGTH = 63;
  /** Leaves room for the longest table or index suffix within PostgreSQL's 63-character limit. */
  static final int MAX_PREFIX_LENGTH = 30;

  final String schema;
  final String prefix;
  final String counters;
  final String events;
  final String eventSequence;
  final String claims;
  final String keys;
  final String keySequence;

  SqlNames(String schema, String prefix) {
    this.schema = requireIdentifier("schema", schema, MAX_SCHEMA_LENGTH);
    this.prefix = requireIdentifier("tablePrefix", prefix, MAX_PREFIX_LENGTH);
    this.counters = qualified("usage_counters");
    this.events = qualified("usage_events");
    this.eventSequence = qualified("event_seq");
    this.claims = qualified("threshold_claims");
    this.keys = qualified("usage_keys");
    this.keySequence = qualified("usage_key_seq");
  }

  private String qualified(String table) {
    return schema + '.' + prefix + table;
  }

  /** The name of Flyway's history table for this prefix. */
  String historyTable() {
    return prefix + "schema_history";
  }

  /** Validates an identifier: letters, digits and underscores, not starting with a digit. */
  static String requireIdentifier(String field, String value, int maxLength) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must match [A-Za-z_][A-Za-z0-9_]*, got "
          + (value == null ? "null" : '"' + value + '"'));
    }
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(
          field + " must be at most " + maxLength + " characters, got " + value.length() + ": \"" + value + '"');
    }
    return value;
  }
}
