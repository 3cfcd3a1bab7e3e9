package dev.tokenwatch.integration.langchain4j;

import static dev.tokenwatch.integration.langchain4j.LoopbackProvider.Reply.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.tokenwatch.domain.BudgetExceededException;
import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.ledger.Counts;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The enforcing mode on a real AnthropicChatModel with a hard budget of $0.02: the estimate takes
 * the model's default {@code max_tokens} (1,024, LangChain4j's default for Anthropic) and is priced
 * by the built-in table (claude-sonnet-4-5: $3 in, $15 out per million tokens).
 */
class GuardedAnthropicTest {

  private static final long ESTIMATE_NANO_USD = 5 * 3_000 + 1024 * 15_000;

  private LoopbackProvider api;
  private TokenTracker tracker;

  @BeforeEach
  void setUp() throws IOException {
    api = LoopbackProvider.start("/v1/messages");
    tracker = TokenTracker.create(TokenBudget.builder().name("usd").limitUsd(new BigDecimal("0.02"))
        .mode(BudgetMode.HARD).build(), alert -> {});
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  @Test
  void theEstimateIsPricedWithTheModelsDefaultMaximumAndTheCommitCarriesTheCacheTokens() {
    api.enqueue(json(ProviderBodies.anthropicMessage("msg_01XFDUDYJgAACzvnptvVoYEL", "claude-sonnet-4-5-20250929",
        12, 2048, 0, 6)));
    ChatModel model = TokenwatchAdmission.of(tracker).guard(AnthropicChatModel.builder()
        .baseUrl(api.baseUrl()).apiKey("sk-ant-test").modelName("claude-sonnet-4-5").maxRetries(0)
        .timeout(Duration.ofSeconds(5)).build());

    model.chat(UserMessage.from("Capital of France?"));

    Counts period = tracker.getPeriodCounts();
    assertThat(period.cacheCreationTokens()).isEqualTo(2048);
    assertThat(period.totalTokens()).isEqualTo(2066);
    assertThat(period.costNanoUsd()).isPositive();
    assertThat(api.requests().get(0)).containsPattern("\"max_tokens\"\\s*:\\s*1024");
    assertThatThrownBy(() -> model.chat(UserMessage.from("Capital of France?")))
        .isInstanceOfSatisfying(BudgetExceededException.class, refused -> {
          assertThat(refused.estimate()).isEqualTo(ESTIMATE_NANO_USD);
          assertThat(refused.used()).isEqualTo(period.costNanoUsd());
          assertThat(refused).hasMessageContaining("hard budget 'usd' ($0.02 monthly)");
        });
    assertThat(api.requests()).hasSize(1);
    assertThat(tracker.budget("usd").getReserved().count()).isZero();
  }
}
