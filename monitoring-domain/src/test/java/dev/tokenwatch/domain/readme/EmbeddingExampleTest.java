package dev.tokenwatch.domain.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.Usage;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The README's "Embedding" example, kept compiling, true and equal to the README's text. */
class EmbeddingExampleTest {

  @Test
  void readmeExample() {
    // --- README: Embedding ---
    TokenBudget budget = TokenBudget.builder()
        .limit(1_000_000)
        .period(BudgetPeriod.MONTHLY)
        .build();
    TokenTracker tracker = TokenTracker.create(budget, alert -> System.err.println(alert.message()));

    TrackResult result = tracker.track(TokenUsageEvent.builder("gpt-4o")
        .inputTokens(600_000)
        .outputTokens(124_100)
        .timestamp(Instant.now())
        .requestId("chatcmpl-123")
        .build());

    Usage usage = tracker.getUsage(); // used 724,100 of 1,000,000: 72.4%, 275,900 remaining
    // --- end ---
    assertThat(result.alert()).isPresent();
    assertThat(usage.used()).isEqualTo(724_100);
    assertThat(usage.remaining()).isEqualTo(275_900);
    assertThat(result.alert().orElseThrow().message()).startsWith("Token budget 'default' at 72.4% (724,100 of 1,000,000 tokens");
  }

  @Test
  void theReadmeShowsThisCode() {
    ReadmeSnippets.assertReadmeShowsSection("Embedding",
        Path.of("src/test/java/dev/tokenwatch/domain/readme/EmbeddingExampleTest.java"));
  }
}
