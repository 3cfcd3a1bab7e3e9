package dev.tokenwatch.integration.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.tokenwatch.domain.BudgetExceededException;
import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.readme.ReadmeSnippets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's LangChain4j examples, against a loopback OpenAI API (the base URL is the only
 * addition), and equal to the README's text.
 */
class ReadmeExampleTest {

  @Test
  void theReadmeExampleTracksTheCall() throws Exception {
    TokenBudget budget = TokenBudget.of(1_000_000, BudgetPeriod.MONTHLY);
    try (LoopbackProvider api = LoopbackProvider.start("/v1/chat/completions")) {
      api.enqueue(LoopbackProvider.Reply.json(
          ProviderBodies.openAiCompletion("chatcmpl-readme", "gpt-4o-mini-2024-07-18", 1200, 0, 300)));

      String baseUrl = api.baseUrl();
      // --- README: LangChain4j ---
      TokenTracker tracker = TokenTracker.create(budget, alert -> System.err.println(alert.message()));
      ChatModel model = OpenAiChatModel.builder()
          .baseUrl(baseUrl)                    // optional: OpenAI's API by default
          .apiKey(System.getenv("OPENAI_API_KEY"))
          .modelName("gpt-4o-mini")
          .listeners(List.of(TokenwatchChatModelListener.of(tracker)))
          .build();

      ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build();
      model.chat(request, TokenwatchAttributes.builder()
          .project("search").session("conversation-42").tag("team", "core").toOptions());
      Usage usage = tracker.getUsage();
      // --- end ---

      assertThat(usage.used()).isEqualTo(1500);
      assertThat(tracker.getHistory()).singleElement().satisfies(event -> {
        assertThat(event.project()).isEqualTo("search");
        assertThat(event.session()).isEqualTo("conversation-42");
        assertThat(event.tags()).containsEntry("team", "core");
      });
    }
  }

  @Test
  void theReadmeAdmissionExampleRefusesPastTheHardLimit() throws Exception {
    try (LoopbackProvider api = LoopbackProvider.start("/v1/chat/completions")) {
      api.enqueue(LoopbackProvider.Reply.json(
          ProviderBodies.openAiCompletion("chatcmpl-readme", "gpt-4o-mini-2024-07-18", 1200, 0, 300)));
      List<BudgetExceededException> refusals = new ArrayList<>();

      TokenBudget hard = TokenBudget.builder().name("chat").limit(2_000).mode(BudgetMode.HARD).build();
      TokenTracker tracker = TokenTracker.create(hard, alert -> System.err.println(alert.message()));
      ChatModel model = TokenwatchAdmission.of(tracker).guard(OpenAiChatModel.builder()
          .baseUrl(api.baseUrl())
          .apiKey(System.getenv().getOrDefault("OPENAI_API_KEY", "sk-test"))
          .modelName("gpt-4o-mini")
          .build());

      for (int i = 0; i < 2; i++) {
        try {
          model.chat(UserMessage.from("Capital of France?"));
        } catch (BudgetExceededException refused) {
          refusals.add(refused); // nothing was sent; refused.budget(), used(), reserved(), estimate()
        }
      }

      assertThat(api.requests()).hasSize(1);
      assertThat(tracker.getUsage().used()).isEqualTo(1500);
      assertThat(refusals).singleElement().satisfies(refused -> {
        assertThat(refused.used()).isEqualTo(1500);
        assertThat(refused.estimate()).isEqualTo(5 + ChatRequestEstimator.DEFAULT_OUTPUT_TOKENS);
      });
    }
  }

  @Test
  void theReadmeShowsThisCode() {
    ReadmeSnippets.assertReadmeShowsSection("LangChain4j",
        Path.of("src/test/java/dev/tokenwatch/integration/langchain4j/ReadmeExampleTest.java"));
  }
}
