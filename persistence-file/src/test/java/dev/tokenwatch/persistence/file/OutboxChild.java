package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertKind;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.outbox.AlertClaim;
import dev.tokenwatch.domain.outbox.PendingAlert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * The child JVM of {@link OutboxMultiProcessTest}, on a store compacting every {@link
 * #COMPACT_AFTER_BYTES} of journal, so the processes follow each other's compactions, which carry
 * the outbox.
 *
 * <ul>
 *   <li>{@code deliver <dir> <go file>}: prints {@code READY} once the store is open, waits for
 *       {@code go file} to exist, then takes due entries for {@link #SINKS} at {@link #NOW} (two at a
 *       time, leased for a day, so nothing taken is ever due again in this test), prints {@code
 *       DELIVERED <alert id> <sink>} for each, takes a few milliseconds "delivering" it, and marks it
 *       delivered, until the outbox is empty; then {@code DONE}.
 *   <li>{@code claim <dir> <leaseUntil> <prefix> <count>}: claims threshold 0.8 in the window of
 *       budget {@code <prefix><i>} for i = 0, 1, ... with its alert ({@link #alert}, raised at
 *       {@link #RAISED} + i ms) for both sinks held until {@code leaseUntil}, printing {@code CLAIMED
 *       <budget>} after each claim returned; after {@code count} claims it waits to be killed.
 * </ul>
 */
public final class OutboxChild {

  static final Instant RAISED = Instant.parse("2026-01-10T12:00:00Z");
  /** The "now" of every taker: after every lease the claims of the test give. */
  static final Instant NOW = RAISED.plusSeconds(3600);
  static final List<String> SINKS = List.of("console", "slack-1");

  private OutboxChild() {}

  /** About 4 claims (a claim with its alert is some 700 bytes), or 25 takes and deliveries. */
  static final int COMPACT_AFTER_BYTES = 3000;

  static FileUsageStore open(Path dir) {
    return FileUsageStore.builder(dir).compactAfterBytes(COMPACT_AFTER_BYTES).build();
  }

  static BudgetWindow window(String budget) {
    return new BudgetWindow(budget, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"),
        UsageFilter.ANY);
  }

  /** The alert of budget {@code budget}'s 80% threshold, raised at {@code at}. */
  static Alert alert(String budget, Instant at) {
    return new Alert(AlertLevel.WARNING, 0.8, 0.81, "Budget '" + budget + "' at 81% (810 of 1,000 tokens)", at, budget,
        810, 1000, BudgetPeriod.MONTHLY, Instant.parse("2026-02-01T00:00:00Z").atZone(ZoneOffset.UTC),
        BudgetUnit.TOKENS, UsageFilter.ANY, new Counts(700, 110, 0, 0, 810, 9), AlertKind.THRESHOLD, null);
  }

  public static void main(String[] args) throws Exception {
    try (FileUsageStore store = open(Path.of(args[1]))) {
      if (args[0].equals("deliver")) {
        deliver(store, Path.of(args[2]));
      } else {
        claim(store, Instant.parse(args[2]), args[3], Integer.parseInt(args[4]));
      }
    }
  }

  private static void deliver(FileUsageStore store, Path go) throws InterruptedException {
    Set<String> sinks = Set.copyOf(SINKS);
    store.outbox().undelivered(); // opened and caught up before the race starts
    System.out.println("READY");
    System.out.flush();
    while (!Files.exists(go)) {
      Thread.sleep(2);
    }
    while (true) {
      List<PendingAlert> taken = store.outbox().takeDue(sinks, NOW, NOW.plusSeconds(86_400), 2);
      if (taken.isEmpty()) {
        if (store.outbox().undelivered().isEmpty()) {
          break;
        }
        Thread.sleep(2); // the rest is held by other children
        continue;
      }
      for (PendingAlert entry : taken) {
        System.out.println("DELIVERED " + entry.alertId() + " " + entry.sink());
        System.out.flush();
        Thread.sleep(2);
        store.outbox().delivered(entry.alertId(), entry.sink());
      }
    }
    System.out.println("DONE");
    System.out.flush();
  }

  private static void claim(FileUsageStore store, Instant leaseUntil, String prefix, int count)
      throws InterruptedException {
    for (int i = 0; i < count; i++) {
      String budget = prefix + i;
      boolean won = store.claimThreshold(window(budget), 0.8,
          new AlertClaim(alert(budget, RAISED.plusMillis(i)), SINKS, leaseUntil));
      System.out.println(won ? "CLAIMED " + budget : "LOST " + budget);
      System.out.flush();
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
