package dev.tokenwatch.persistence.file;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.ledger.BudgetWindow;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link BudgetsMultiProcessTest}: {@code <dir> <process>} runs a {@link
 * TokenTracker} over the file store in {@code dir} with process {@code A}, {@code B} or {@code C}'s
 * budgets ({@link #BUDGETS_OF}), tracks that process's own events and every shared one, and prints
 * {@code ALERT <budget> <threshold>} for each alert, {@code DONE} at the end.
 *
 * <p>The events are chosen so that every threshold of every budget is reached by a process that
 * has the budget: what a process without the budget adds to it is under 5% of its total (the
 * smallest gap between thresholds is 10%), and each limit is 90% of the budget's total.
 * A: 300 opus events of about 1,100 tokens (team ads, January 1-13); B: 300 gpt-4o events of about
 * 1,000 tokens (team search); C: 300 small opus events (team search) on January 15, the only day
 * of the daily budget; shared: 60 request ids every process sends on January 14, with {@code 20 +
 * process} input tokens (so later, larger records replace earlier ones across processes) and team
 * search only in C's record, without cost (unpriced). Own events carry a cost.
 */
public final class TrackerChild {

  static final Instant NOW = Instant.parse("2026-01-15T23:00:00Z");
  private static final Instant JAN = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");
  private static final Instant DAY = Instant.parse("2026-01-15T00:00:00Z");
  private static final int OWN = 300;
  private static final int SHARED = 60;

  /** Each budget's current window, as the trackers see it on {@link #NOW}. */
  static final Map<String, BudgetWindow> WINDOWS = Map.of(
      "all", new BudgetWindow("all", JAN, FEB, UsageFilter.ANY),
      "opus", new BudgetWindow("opus", JAN, FEB, UsageFilter.models("claude-opus-*")),
      "search", new BudgetWindow("search", JAN, FEB, UsageFilter.ANY.withTag("team", "search")),
      "all-daily", new BudgetWindow("all-daily", DAY, DAY.plus(1, ChronoUnit.DAYS), UsageFilter.ANY));

  static final Map<String, List<String>> BUDGETS_OF = Map.of(
      "A", List.of("all", "opus"),
      "B", List.of("all", "search"),
      "C", List.of("opus", "search", "all-daily"));

  private TrackerChild() {}

  static int index(String process) {
    return "ABC".indexOf(process);
  }

  /** The events {@code process} tracks itself. */
  static List<TokenUsageEvent> own(String process) {
    List<TokenUsageEvent> events = new ArrayList<>(OWN);
    for (int i = 0; i < OWN; i++) {
      TokenUsageEvent.Builder e = switch (process) {
        case "A" -> TokenUsageEvent.builder("claude-opus-4").inputTokens(1000 + i % 7).outputTokens(100)
            .tag("team", "ads").timestamp(JAN.plus(i, ChronoUnit.HOURS));
        case "B" -> TokenUsageEvent.builder("gpt-4o").inputTokens(900 + i % 5).outputTokens(90)
            .tag("team", "search").timestamp(JAN.plus(i, ChronoUnit.HOURS).plus(30, ChronoUnit.MINUTES));
        default -> TokenUsageEvent.builder("claude-opus-4-5").inputTokens(40 + i % 3).outputTokens(4)
            .tag("team", "search").timestamp(DAY.plus(2L * i, ChronoUnit.MINUTES));
      };
      events.add(e.requestId(process + "-" + i).project("p" + process).costNanoUsd(1_000_003L * (i + 1)).build());
    }
    return events;
  }

  /** Shared request id {@code i} as {@code process} sends it. */
  static TokenUsageEvent shared(String process, int i) {
    int p = index(process);
    return TokenUsageEvent.builder("claude-opus-internal").inputTokens(20 + p).outputTokens(2)
        .tag("team", p == 2 ? "search" : "ads").timestamp(DAY.minus(1, ChronoUnit.DAYS).plus(i, ChronoUnit.MINUTES))
        .requestId("s-" + i).session("shared").build();
  }

  /** The events the ledger ends with: every own event, and each shared id in its largest (C's) form. */
  static List<TokenUsageEvent> ledger() {
    List<TokenUsageEvent> all = new ArrayList<>();
    for (String process : List.of("A", "B", "C")) {
      all.addAll(own(process));
    }
    for (int i = 0; i < SHARED; i++) {
      all.add(shared("C", i));
    }
    return all;
  }

  /** The exact totals of {@code window} over {@link #ledger()}. */
  static Counts expected(BudgetWindow window) {
    Counts sum = Counts.ZERO;
    for (TokenUsageEvent e : ledger()) {
      if (window.charges(e)) {
        sum = sum.plus(Counts.of(e));
      }
    }
    return sum;
  }

  static TokenBudget budget(String name) {
    BudgetWindow w = WINDOWS.get(name);
    return TokenBudget.builder().name(name).period(name.endsWith("daily") ? BudgetPeriod.DAILY : BudgetPeriod.MONTHLY)
        .scope(w.scope()).limit(expected(w).totalTokens() * 9 / 10).build();
  }

  public static void main(String[] args) {
    String process = args[1];
    List<TokenBudget> budgets = BUDGETS_OF.get(process).stream().map(TrackerChild::budget).toList();
    try (FileUsageStore store = StoreChild.open(Path.of(args[0]))) {
      TokenTracker tracker = TokenTracker.builder(budgets).store(store).clock(() -> NOW)
          .prices(PriceTable.of("none", null, List.of()))
          .sink(alert -> System.out.println("ALERT " + alert.budgetName() + " " + alert.threshold()))
          .build();
      List<TokenUsageEvent> own = own(process);
      int shared = 0;
      for (int i = 0; i < own.size(); i++) {
        if (i % 5 == 4 && shared < SHARED) {
          // a batch of an own event and a shared one, in a different order in each process
          int s = (shared++ * 7 + 13 * index(process)) % SHARED;
          tracker.trackAll(List.of(own.get(i), shared(process, s)));
        } else {
          tracker.track(own.get(i));
        }
      }
      System.out.println("DONE");
      System.out.flush();
    }
  }
}
