package dev.tokenwatch.domain.port;

import dev.tokenwatch.domain.outbox.PendingAlert;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The alerts raised but not yet delivered, kept in the store ({@link UsageStore#outbox()}) so that no
 * alert is lost to a failing sink or a killed process: a threshold claim puts its alert here for each
 * sink in the same atomic step ({@link UsageStore#claimThreshold(dev.tokenwatch.domain.ledger.BudgetWindow,
 * double, dev.tokenwatch.domain.outbox.AlertClaim)}); whoever delivers it marks it delivered. Every
 * operation is atomic across threads and processes sharing the store, and as durable as the claim.
 * The rules of an entry are {@link PendingAlert}'s.
 */
public interface AlertOutbox {

  /**
   * Takes up to {@code max} entries for {@code sinks} that are due at {@code now} ({@link
   * PendingAlert#dueAt}), oldest first, each {@link PendingAlert#taken held} until {@code leaseUntil},
   * so that no other taker gets them before then.
   *
   * @return the entries as taken
   */
  List<PendingAlert> takeDue(Set<String> sinks, Instant now, Instant leaseUntil, int max);

  /** Removes the entry of {@code alertId} for {@code sink}: it arrived. Unknown entries are ignored. */
  void delivered(String alertId, String sink);

  /** Records a failed attempt: due again at {@code nextAttempt}. Unknown entries are ignored. */
  void retryAt(String alertId, String sink, Instant nextAttempt, String problem);

  /** Gives up the entry with {@code problem}: never due again, still listed. Unknown entries are ignored. */
  void giveUp(String alertId, String sink, String problem);

  /** Every entry not delivered, given up ones included, oldest first. */
  List<PendingAlert> undelivered();
}
