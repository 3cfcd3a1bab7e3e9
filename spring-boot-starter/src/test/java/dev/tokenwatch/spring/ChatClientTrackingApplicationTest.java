package dev.tokenwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.port.UsageStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application with nothing but the starter, Spring AI's OpenAI starter and
 * properties: a real {@link ChatClient} calls a loopback server answering as OpenAI's Chat
 * Completions API (a call and a stream), the budget alerts a loopback Slack webhook, and closing
 * the context waits for the alerts being delivered, then closes the store.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChatClientTrackingApplicationTest {

  private static final String WEBHOOK_PATH = "/services/T000/B000/XXXXXXXX";

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Application {}

  @Test
  void tracksEachCallAndStreamAlertsSlackAndClosesTheStoreWithTheContext(@TempDir Path dir, CapturedOutput output)
      throws Exception {
    try (LoopbackServer openAi = new LoopbackServer(ChatClientTrackingApplicationTest::answer);
        LoopbackServer slack = new LoopbackServer(request -> new LoopbackServer.Answer(200, "text/plain", List.of("ok")))) {
      ConfigurableApplicationContext context = application()
          .properties(
              "spring.ai.openai.api-key=sk-test",
              "spring.ai.openai.base-url=" + openAi.url() + "/v1",
              "spring.ai.openai.chat.model=gpt-4o-mini",
              "spring.ai.openai.max-retries=0",
              "tokenwatch.store.path=" + dir,
              "tokenwatch.budgets[0].name=chat",
              "tokenwatch.budgets[0].limit=2000",
              "tokenwatch.budgets[0].alert-thresholds=0.5,1.0",
              "tokenwatch.notifiers.slack.webhook-url=" + slack.url() + WEBHOOK_PATH,
              "tokenwatch.spring-ai.project=shop")
          .run();
      TokenTracker tracker = context.getBean(TokenTracker.class);
      UsageStore store = context.getBean(UsageStore.class);
      ChatClient chat = context.getBean(ChatClient.Builder.class).build();

      assertThat(chat.prompt("Hi").call().content()).isEqualTo("Hello!");
      LoopbackServer.Request call = openAi.next();
      assertThat(call.path()).isEqualTo("/v1/chat/completions");
      assertThat(call.body()).contains("\"model\":\"gpt-4o-mini\"");
      // OpenAI's prompt_tokens (1200) include the 1000 cached ones; gpt-4o-mini's prices: 200 x $0.15,
      // 1000 cached x $0.075, 300 out x $0.60 per million = $0.000285
      assertThat(tracker.getPeriodCounts()).isEqualTo(counts(200, 300, 0, 1000, 1500, 1, 285_000));

      assertThat(String.join("", chat.prompt("Stream").stream().content().collectList().block()))
          .isEqualTo("Hello there");
      assertThat(openAi.next().body()).contains("\"stream\":true").contains("\"include_usage\":true");
      assertThat(tracker.getPeriodCounts()).isEqualTo(counts(500, 500, 0, 1100, 2100, 2, 285_000 + 172_500));

      // each round of Spring AI's tool-calling loop is tracked on its own
      assertThat(chat.prompt("How warm is it in Berlin?").tools(new Weather()).call().content())
          .isEqualTo("It is 7 degrees in Berlin.");
      assertThat(openAi.next().body()).contains("currentTemperature").doesNotContain("\"role\":\"tool\"");
      assertThat(openAi.next().body()).contains("\"role\":\"tool\"").contains("7 degrees");
      assertThat(tracker.getPeriodCounts())
          .isEqualTo(counts(750, 550, 0, 1100, 2400, 4, 285_000 + 172_500 + 27_000 + 40_500));

      List<TokenUsageEvent> history = tracker.getHistory();
      assertThat(history).extracting(TokenUsageEvent::requestId)
          .containsExactly("chatcmpl-call-1", "chatcmpl-stream-2", "chatcmpl-tool-1", "chatcmpl-tool-2");
      assertThat(history.get(2).totalTokens()).isEqualTo(120);
      assertThat(history.get(3).totalTokens()).isEqualTo(180);
      assertThat(history).extracting(TokenUsageEvent::model).containsOnly(OpenAiChatCompletions.MODEL);
      assertThat(history).extracting(TokenUsageEvent::project).containsOnly("shop");
      assertThat(history).allMatch(TokenUsageEvent::hasCost); // priced from the built-in table
      assertThat(tracker.getFiredThresholds()).containsExactly(0.5, 1.0);
      assertThat(context.getBean("tokenwatchHealthIndicator", HealthIndicator.class).health().getStatus())
          .isEqualTo(Status.UP);

      // a failing tracker (here: its store closed under it) is logged and the call goes on
      store.close();
      assertThat(chat.prompt("Hi again").call().content()).isEqualTo("Hello!");
      assertThat(output).contains("Could not track a ChatClient call (model " + OpenAiChatCompletions.MODEL
          + ", id chatcmpl-call-1); the call goes on");

      context.close(); // waits for the alerts being delivered (wait-on-exit), then closes the store
      List<LoopbackServer.Request> posts = slack.drain();
      assertThat(posts).extracting(LoopbackServer.Request::path).containsExactly(WEBHOOK_PATH, WEBHOOK_PATH);
      assertThat(posts.get(0).body()).contains("token budget 'chat' at 75.0%");
      assertThat(posts.get(1).body()).contains("token budget 'chat' at 105.0%");
      assertThatThrownBy(store::retainedFrom).hasMessageContaining("is closed");
    }
  }

  @Test
  void invalidPropertiesFailStartupWithSpringsReportNamingTheProperty(CapturedOutput output) {
    assertThatThrownBy(() -> application()
        .properties("spring.ai.openai.api-key=sk-test", "tokenwatch.store.type=memory",
            "tokenwatch.budgets[0].limit=-5")
        .run()).isNotNull();
    assertThat(output).contains("Failed to bind properties under 'tokenwatch.budgets[0]'")
        .contains("limit must be positive, got -5");
  }

  /** The tool of the tool-calling round trip. */
  static class Weather {
    @Tool(description = "The current temperature in a city")
    String currentTemperature(String city) {
      return "7 degrees in " + city;
    }
  }

  /** OpenAI's answers: a stream, a tool call, the answer after the tool's result, a plain answer. */
  private static LoopbackServer.Answer answer(LoopbackServer.Request request) {
    String body = request.body();
    if (body.contains("\"stream\":true")) {
      return OpenAiChatCompletions.stream("chatcmpl-stream-2", List.of("Hello", " there"),
          OpenAiChatCompletions.usage(400, 100, 200));
    }
    if (body.contains("\"role\":\"tool\"")) {
      return OpenAiChatCompletions.completion("chatcmpl-tool-2", "It is 7 degrees in Berlin.",
          OpenAiChatCompletions.usage(150, 0, 30));
    }
    if (body.contains("currentTemperature")) {
      return OpenAiChatCompletions.toolCall("chatcmpl-tool-1", "currentTemperature", "{\"city\":\"Berlin\"}",
          OpenAiChatCompletions.usage(100, 0, 20));
    }
    return OpenAiChatCompletions.completion("chatcmpl-call-1", "Hello!", OpenAiChatCompletions.usage(1200, 1000, 300));
  }

  /** The application with the OpenAI models it does not use switched off. */
  private static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE).properties(
        "spring.ai.model.embedding=none", "spring.ai.model.image=none", "spring.ai.model.audio.speech=none",
        "spring.ai.model.audio.transcription=none", "spring.ai.model.moderation=none");
  }

  /** Counts of priced calls only. */
  private static Counts counts(long input, long output, long cacheCreation, long cacheRead, long total, long calls,
      long costNanoUsd) {
    return new Counts(input, output, cacheCreation, cacheRead, total, calls, costNanoUsd, 0, 0);
  }
}
