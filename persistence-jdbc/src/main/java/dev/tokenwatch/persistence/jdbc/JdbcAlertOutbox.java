package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.outbox.PendingAlert;
import dev.tokenwatch.domain.port.AlertOutbox;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The alert outbox of a {@link JdbcUsageStore} ({@link OutboxRows}): each operation one
 * transaction, as durable as a claim (on H2 files forced to disk, unless it changed nothing).
 */
final class JdbcAlertOutbox implements AlertOutbox {

  private final Transactions transactions;
  private final OutboxRows rows;

  JdbcAlertOutbox(Transactions transactions, OutboxRows rows) {
    this.transactions = transactions;
    this.rows = rows;
  }

  @Override
  public List<PendingAlert> takeDue(Set<String> sinks, Instant now, Instant leaseUntil, int max) {
    Objects.requireNonNull(sinks, "sinks");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(leaseUntil, "leaseUntil");
    Set<String> names = new LinkedHashSet<>();
    for (String sink : sinks) {
      names.add(Objects.requireNonNull(sink, "sink"));
    }
    if (names.isEmpty() || max <= 0) {
      return List.of();
    }
    return transactions.writeIf("taking the due alerts of " + names.size() + " sink(s) from the outbox",
        connection -> rows.takeDue(connection, names, now, leaseUntil, max), taken -> !taken.isEmpty());
  }

  @Override
  public void delivered(String alertId, String sink) {
    requireKey(alertId, sink);
    transactions.writeIf("marking alert " + alertId + " delivered to " + sink,
        connection -> rows.delivered(connection, alertId, sink), changed -> changed > 0);
  }

  @Override
  public void retryAt(String alertId, String sink, Instant nextAttempt, String problem) {
    requireKey(alertId, sink);
    Objects.requireNonNull(nextAttempt, "nextAttempt");
    Objects.requireNonNull(problem, "problem");
    transactions.writeIf("recording a failed delivery of alert " + alertId + " to " + sink,
        connection -> rows.retryAt(connection, alertId, sink, nextAttempt, problem), changed -> changed > 0);
  }

  @Override
  public void giveUp(String alertId, String sink, String problem) {
    requireKey(alertId, sink);
    Objects.requireNonNull(problem, "problem");
    transactions.writeIf("giving up alert " + alertId + " for " + sink,
        connection -> rows.giveUp(connection, alertId, sink, problem), changed -> changed > 0);
  }

  @Override
  public List<PendingAlert> undelivered() {
    return transactions.run("listing the undelivered alerts", rows::undelivered);
  }

  private static void requireKey(String alertId, String sink) {
    Objects.requireNonNull(alertId, "alertId");
    Objects.requireNonNull(sink, "sink");
  }
}
