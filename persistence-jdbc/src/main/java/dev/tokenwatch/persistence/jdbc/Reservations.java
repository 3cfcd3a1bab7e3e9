package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.reservation.OpenReservations;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import dev.tokenwatch.domain.reservation.ReserveOutcome;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code reserve} ({@link ReserveWrite}), {@code release} and {@code reserved} of hard budgets, each
 * one transaction on {@link ReservationRows}. A reservation's {@code commit} is a record ({@link
 * Recording}). Reserve and release are not forced to disk on H2 (nor flushed before the commit
 * returns on PostgreSQL): a reservation matters only while its process lives, and a window a reserve
 * seeded is derived from the ledger again if lost.
 */
final class Reservations {

  private final Transactions transactions;
  private final WindowIds windowIds;
  private final ReservationRows rows;
  private final ReserveWrite reserveWrite;

  Reservations(Statements sql, Transactions transactions, WindowIds windowIds, WindowRows windows, KeptWindows kept,
      ReservationRows rows) {
    this.transactions = transactions;
    this.windowIds = windowIds;
    this.rows = rows;
    this.reserveWrite = new ReserveWrite(sql, rows, windowIds, windows, kept);
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#reserve}. */
  ReserveOutcome reserve(ReservationRequest request, Instant now) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(now, "now");
    return transactions.writeNotDurable("reserving " + request.id(),
        connection -> reserveWrite.run(connection, request, now));
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#release}. */
  boolean release(String reservationId, Instant now) {
    ReservationRequest.requireValidId(reservationId);
    Objects.requireNonNull(now, "now");
    return transactions.writeNotDurable("releasing reservation " + reservationId, connection -> {
      rows.relaxDurability(connection);
      return rows.end(connection, reservationId, now);
    });
  }

  /** See {@link dev.tokenwatch.domain.port.UsageStore#reserved}. */
  OpenReservations reserved(BudgetWindow window, BudgetUnit unit, Instant now) {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(now, "now");
    return transactions.run("reading the reservations of " + window, connection -> {
      Long id = windowIds.find(connection, window);
      return id == null ? OpenReservations.NONE : rows.held(connection, id, unit, now);
    });
  }
}
