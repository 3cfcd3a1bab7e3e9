package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.ledger.BudgetWindow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples a window's committed usage and open reservations while callers work, both in ONE SQL
 * statement (one snapshot: reading them separately could count a reservation being committed twice,
 * or not at all). The instant against which holds count as open is the database's (or the test's)
 * clock read while the statement runs, so after the snapshot was taken: a reservation a reserve
 * found expired (at a {@code now} before its commit) is expired for the sample too.
 */
final class HeldSampler implements Runnable {

  /** One sample: the committed tokens and what open reservations hold. */
  record Sample(long used, long reserved) {}

  private final Connection connection;
  private final String sql;
  private final String keyHash;
  private final long shiftNs;
  private final AtomicBoolean stop = new AtomicBoolean();
  final List<Sample> samples = new ArrayList<>();
  volatile Throwable failure;

  /**
   * @param nowNs the SQL expression of the current instant in epoch nanoseconds, evaluated per row
   * @param shiftNs added to it (the tests' clocks run ahead of the wall clock by this much)
   */
  HeldSampler(Connection connection, String prefix, String nowNs, long shiftNs, BudgetWindow window) {
    this.connection = connection;
    this.keyHash = WindowIds.hash(window);
    this.shiftNs = shiftNs;
    this.sql = "SELECT t.total_tokens, COALESCE((SELECT SUM(h.amount) FROM " + prefix + "ledger_reservation_holds h "
        + "WHERE h.window_id = t.window_id AND h.unit = 'TOKENS' AND h.expires_ns > " + nowNs + " + ?), 0) FROM "
        + prefix + "ledger_window_totals t JOIN " + prefix + "ledger_window_keys k ON k.id = t.window_id "
        + "WHERE k.key_hash = ?";
  }

  @Override
  public void run() {
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      while (!stop.get()) {
        ps.setLong(1, shiftNs);
        ps.setString(2, keyHash);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            synchronized (samples) {
              samples.add(new Sample(rs.getLong(1), rs.getLong(2)));
            }
          }
        }
        if (!connection.getAutoCommit()) {
          connection.commit();
        }
        Thread.sleep(2);
      }
    } catch (SQLException | InterruptedException | RuntimeException e) {
      failure = e;
    }
  }

  void stop() {
    stop.set(true);
  }

  /** The samples in which committed plus reserved pass {@code limit}. */
  List<Sample> over(long limit) {
    List<Sample> out = new ArrayList<>();
    synchronized (samples) {
      for (Sample s : samples) {
        if (s.used() + s.reserved() > limit) {
          out.add(s);
        }
      }
    }
    return out;
  }

  long withReservations() {
    synchronized (samples) {
      return samples.stream().filter(s -> s.reserved() > 0).count();
    }
  }
}
