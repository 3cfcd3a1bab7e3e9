package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.BudgetExceededException;
import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.Reservation;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.UsageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Hard limits" example, kept compiling and true. Keep the two in step. */
class HardLimitsExampleTest {

  /** What the example's LLM call returns. */
  record Response(String text, long inputTokens, long outputTokens) {}

  /** The example's LLM client. */
  interface Llm {
    Response call(String prompt);
  }

  private final List<String> calls = new ArrayList<>();

  /** Answers with 6,000 input and 1,500 output tokens; fails on "fail". */
  private final Llm llm = prompt -> {
    calls.add(prompt);
    if (prompt.equals("fail")) {
      throw new IllegalStateException("the provider is down");
    }
    return new Response("ok", 6_000, 1_500);
  };

  private String ask(TokenTracker tracker, String prompt) {
    // --- README: Hard limits ---
    try (Reservation r = tracker.reserve("claude-sonnet-4-5", 8_000)) { // or BudgetExceededException
      Response response = llm.call(prompt);                              // only once reserved
      r.commit(TokenUsageEvent.builder("claude-sonnet-4-5")
          .inputTokens(response.inputTokens())
          .outputTokens(response.outputTokens())
          .timestamp(Instant.now())
          .build());                                                     // recorded in full
      return response.text();
    } // an exception before commit: close() releases the reservation
    // --- end ---
  }

  @Test
  void readmeExampleOfAHardLimit() {
    UsageStore store = new InMemoryUsageStore();
    // --- README: Hard limits, the tracker ---
    TokenTracker tracker = TokenTracker.builder(TokenBudget.builder().name("team")
            .limit(20_000).mode(BudgetMode.HARD).build())
        .store(store)                                 // shared by every process: the file or JDBC store
        .reservationTimeout(Duration.ofMinutes(10))   // the default
        .build();
    // --- end ---
    assertThat(ask(tracker, "first")).isEqualTo("ok");
    assertThat(tracker.getUsage().used()).isEqualTo(7_500);
    assertThat(tracker.budget("team").getReserved().count()).isZero();

    assertThatThrownBy(() -> ask(tracker, "fail")).hasMessage("the provider is down");
    assertThat(tracker.budget("team").getReserved().count()).as("released by close()").isZero();
    assertThat(tracker.getUsage().used()).isEqualTo(7_500);

    assertThat(ask(tracker, "second")).isEqualTo("ok");
    // 15,000 used: an estimate of 8,000 would pass the 20,000, so the call is not made
    assertThatThrownBy(() -> ask(tracker, "third")).isInstanceOf(BudgetExceededException.class)
        .hasMessage("hard budget 'team' (20,000 tokens monthly): used 15,000 tokens and reserved 0 tokens, so the "
            + "estimate of 8,000 tokens would pass its limit");
    assertThat(calls).containsExactly("first", "fail", "second");
  }
}
