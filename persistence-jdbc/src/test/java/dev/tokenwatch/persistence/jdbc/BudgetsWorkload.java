package dev.tokenwatch.persistence.jdbc;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Prices;
import dev.tokenwatch.domain.cost.Rate;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workload of {@code SeveralBudgetsProcessesTest}: four processes, each tracking its own list of
 * overlapping budgets over one ledger. Every process sends {@link #OWN} events of its own and each of
 * {@link #SHARED} request ids that every process sends too, with the same dimensions and a total
 * growing with the process's number (so the largest records replace the smaller ones whatever the
 * order, and every window's usage only grows). Opus and Sonnet events carry their cost, the local
 * model's none. Each budget's limit is half of what the final ledger charges it, so every threshold
 * is crossed while its processes still track.
 */
final class BudgetsWorkload {

  static final int PROCESSES = 4;
  static final int OWN = 160;
  static final int SHARED = 40;
  /** The instant of the fixed clock of every tracker: noon, UTC, of the day the test runs. */
  static Instant now;

  /** Prices no model of the workload: events without a cost stay unpriced. */
  static final PriceTable PRICES = PriceTable.of("test", LocalDate.of(2026, 11, 1), List.of(ModelPrice.of(
      "unused-model", new Prices(Rate.of("1"), Rate.of("1"), null, null, null), "test")));

  private static final String[] MODELS = {"claude-opus-4-1", "claude-sonnet-4", "llama-local"};
  private static final String[] TEAMS = {"search", "infra"};
  private static final String[] PROJECTS = {"checkout", "billing", null};

  private BudgetsWorkload() {}

  static Instant noonToday() {
    return LocalDate.now(ZoneOffset.UTC).atTime(12, 0).toInstant(ZoneOffset.UTC);
  }

  /** The budgets' scopes and periods by name (limits come from {@link #budgets}). */
  private static TokenBudget.Builder shape(String name) {
    TokenBudget.Builder b = TokenBudget.builder().name(name).zone(ZoneOffset.UTC);
    return switch (name) {
      case "all" -> b.period(BudgetPeriod.MONTHLY);
      case "opus" -> b.period(BudgetPeriod.WEEKLY).scope(UsageFilter.models("claude-opus-*"));
      case "search" -> b.period(BudgetPeriod.MONTHLY).unit(BudgetUnit.USD).scope(UsageFilter.ANY.withTag("team", "search"));
      case "all-daily" -> b.period(BudgetPeriod.DAILY);
      case "checkout" -> b.period(BudgetPeriod.MONTHLY).scope(UsageFilter.ANY.withProject("checkout"));
      default -> throw new IllegalArgumentException("no budget " + name);
    };
  }

  static final List<String> ALL_BUDGETS = List.of("all", "opus", "search", "all-daily", "checkout");

  /** The budgets of process {@code p}. */
  static List<String> budgetsOf(int p) {
    return switch (p) {
      case 0 -> List.of("all", "opus");
      case 1 -> List.of("all", "search");
      case 2 -> List.of("opus", "search");
      case 3 -> List.of("all-daily", "checkout");
      default -> throw new IllegalArgumentException("no process " + p);
    };
  }

  /** The named budgets with limits of half their final figure. */
  static List<TokenBudget> budgets(List<String> names) {
    Map<String, Counts> expected = expected();
    List<TokenBudget> out = new ArrayList<>();
    for (String name : names) {
      TokenBudget unlimited = shape(name).limit(Long.MAX_VALUE / 4).build();
      long finalAmount = unlimited.measure(expected.get(name));
      out.add(shape(name).limit(finalAmount / 2).build());
    }
    return out;
  }

  /** The store window of {@code budget} in the current period of the fixed clock. */
  static BudgetWindow window(TokenBudget budget, dev.tokenwatch.domain.PeriodWindow period) {
    return new BudgetWindow(budget.name(), period.startInstant(), period.endInstant(), budget.scope());
  }

  /** What process {@code p} tracks, in order: its own events, with the shared ids interleaved. */
  static List<TokenUsageEvent> eventsOf(int p) {
    List<TokenUsageEvent> out = new ArrayList<>();
    for (int i = 0; i < OWN; i++) {
      out.add(event("p" + p + "-" + i, i * 7 + p, 40 + (i * 13 + p * 5) % 60));
      if (i % 4 == 0 && i / 4 < SHARED) {
        int k = (i / 4 + p * 10) % SHARED;
        out.add(shared(k, p));
      }
    }
    return out;
  }

  private static TokenUsageEvent shared(int k, int p) {
    return event("shared-" + k, k, 50 + k + p);
  }

  private static TokenUsageEvent event(String id, int shape, long tokens) {
    String model = MODELS[shape % 3];
    TokenUsageEvent.Builder b = TokenUsageEvent.builder(model).inputTokens(tokens - 10).outputTokens(10)
        .timestamp(now.minusSeconds(shape % 50)).requestId(id).tag("team", TEAMS[(shape / 3) % 2]);
    String project = PROJECTS[(shape / 2) % 3];
    if (project != null) {
      b.project(project);
    }
    if (!model.equals("llama-local")) {
      b.costNanoUsd(tokens * (model.startsWith("claude-opus") ? 75_000 : 15_000) + shape);
    }
    return b.build();
  }

  /** The events the ledger ends with: every own event, and each shared id's largest record. */
  static List<TokenUsageEvent> finalLedger() {
    List<TokenUsageEvent> out = new ArrayList<>();
    for (int p = 0; p < PROCESSES; p++) {
      for (TokenUsageEvent e : eventsOf(p)) {
        if (!e.requestId().startsWith("shared-")) {
          out.add(e);
        }
      }
    }
    for (int k = 0; k < SHARED; k++) {
      out.add(shared(k, PROCESSES - 1));
    }
    return out;
  }

  /** Each budget's exact final counts in the current period. */
  static Map<String, Counts> expected() {
    Map<String, Counts> out = new LinkedHashMap<>();
    for (String name : ALL_BUDGETS) {
      TokenBudget budget = shape(name).limit(1).build();
      BudgetWindow window = window(budget, budget.period().windowOf(now, budget.zone()));
      Counts sum = Counts.ZERO;
      for (TokenUsageEvent e : finalLedger()) {
        if (window.charges(e)) {
          sum = sum.plus(Counts.of(e));
        }
      }
      out.put(name, sum);
    }
    return out;
  }
}
