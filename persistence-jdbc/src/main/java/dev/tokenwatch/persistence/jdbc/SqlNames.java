package dev.tokenwatch.persistence.jdbc;

import java.util.List;
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
  final String events;
  final String eventSequence;
  final String rollup;
  final String windowKeys;
  final String windowSequence;
  final String windowTotals;
  final String claims;
  final String meta;
  final String reservations;
  final String reservationHolds;
  final String outbox;

  SqlNames(String schema, String prefix) {
    this.schema = requireIdentifier("schema", schema, MAX_SCHEMA_LENGTH);
    this.prefix = requireIdentifier("tablePrefix", prefix, MAX_PREFIX_LENGTH);
    this.events = qualified("ledger_events");
    this.eventSequence = qualified("ledger_event_seq");
    this.rollup = qualified("ledger_rollup");
    this.windowKeys = qualified("ledger_window_keys");
    this.windowSequence = qualified("ledger_window_seq");
    this.windowTotals = qualified("ledger_window_totals");
    this.claims = qualified("ledger_claims");
    this.meta = qualified("ledger_meta");
    this.reservations = qualified("ledger_reservations");
    this.reservationHolds = qualified("ledger_reservation_holds");
    this.outbox = qualified("ledger_alert_outbox");
  }

  private String qualified(String table) {
    return schema + '.' + prefix + table;
  }

  /** The name of Flyway's history table of the ledger tables for this prefix. */
  String historyTable() {
    return prefix + "ledger_history";
  }

  /**
   * Unqualified names of the tables of the format before the ledger (budget periods with counters),
   * including its Flyway history table: a schema holding any of them is refused, not migrated.
   */
  List<String> oldFormatTables() {
    return List.of(prefix + "schema_history", prefix + "usage_events", prefix + "usage_counters",
        prefix + "usage_keys", prefix + "usage_periods", prefix + "usage_totals", prefix + "threshold_claims");
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
