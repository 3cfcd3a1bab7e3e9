package dev.tokenwatch.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.BudgetExceededException;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.reservation.OpenReservations;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The enforcing mode in an application with only the starter, Spring AI's OpenAI starter and
 * properties: a real {@link ChatClient} against a loopback OpenAI API, a hard budget of 2,000 tokens,
 * in memory. Prompts of 2 characters (1 token) with {@code max-tokens} 500: each call reserves 501.
 */
class AdmissionApplicationTest {

  private static final OpenReservations ONE_CALL = new OpenReservations(501, 1);
  private static final OpenReservations NONE = new OpenReservations(0, 0);

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Application {}

  /** What the hard budget held as each request arrived at the loopback API. */
  private final List<OpenReservations> heldAtRequest = new CopyOnWriteArrayList<>();
  private final AtomicReference<TokenTracker> tracker = new AtomicReference<>();

  @Test
  void callsAndStreamsReserveAreRefusedPastTheHardLimitUnsentAndCommitTheirRealUsage() throws Exception {
    try (LoopbackServer openAi = new LoopbackServer(this::answer);
        ConfigurableApplicationContext context = application(openAi, "tokenwatch.admission.enabled=true").run()) {
      tracker.set(context.getBean(TokenTracker.class));
      ChatClient chat = context.getBean(ChatClient.Builder.class).build();

      // a failed call and a failed stream release their reservations
      assertThatThrownBy(() -> chat.prompt("Ko").call().content()).hasStackTraceContaining("The server had an error");
      assertThat(openAi.next()).isNotNull();
      assertThatThrownBy(() -> chat.prompt("Ko").stream().content().collectList().block())
          .hasStackTraceContaining("The server had an error");
      assertThat(openAi.next()).isNotNull();
      assertThat(heldAtRequest).containsExactly(ONE_CALL, ONE_CALL);
      assertThat(reserved()).isEqualTo(NONE);
      assertThat(tracker.get().getPeriodCounts().calls()).isZero();

      // a stream cancelled by its subscriber (after its first piece) releases too; nothing is tracked
      assertThat(chat.prompt("St").stream().content().take(1).blockLast()).isEqualTo("Hello");
      assertThat(openAi.next()).isNotNull();
      assertThat(reserved()).isEqualTo(NONE);
      assertThat(tracker.get().getPeriodCounts().calls()).isZero();

      // within the limit: committed with the real usage (600, then 1,500; 2,100 in all)
      assertThat(String.join("", chat.prompt("St").stream().content().collectList().block())).isEqualTo("Hello there");
      assertThat(openAi.next().body()).contains("\"stream\":true").contains("\"max_tokens\":500");
      assertThat(tracker.get().getPeriodCounts().totalTokens()).isEqualTo(600);
      assertThat(chat.prompt("Hi").call().content()).isEqualTo("Hello!");
      assertThat(openAi.next()).isNotNull();
      assertThat(heldAtRequest).containsExactly(ONE_CALL, ONE_CALL, ONE_CALL, ONE_CALL, ONE_CALL);
      assertThat(tracker.get().getPeriodCounts().totalTokens()).isEqualTo(2100);
      assertThat(tracker.get().getPeriodCounts().calls()).isEqualTo(2);
      assertThat(reserved()).isEqualTo(NONE);

      // past it: refused, and the model is not called
      assertThatThrownBy(() -> chat.prompt("Hi").call().content())
          .isInstanceOfSatisfying(BudgetExceededException.class, refused -> {
            assertThat(refused.budget().name()).isEqualTo("hard");
            assertThat(refused.used()).isEqualTo(2100);
            assertThat(refused.estimate()).isEqualTo(501);
          });
      assertThatThrownBy(() -> chat.prompt("St").stream().content().collectList().block())
          .isInstanceOf(BudgetExceededException.class).hasMessageContaining("hard budget 'hard'");
      assertThat(openAi.drain()).as("refused calls send nothing").isEmpty();
      assertThat(tracker.get().getPeriodCounts().totalTokens()).isEqualTo(2100);
      assertThat(reserved()).isEqualTo(NONE);
    }
  }

  @Test
  void offByDefaultNothingIsReservedAndNothingRefused() throws Exception {
    try (LoopbackServer openAi = new LoopbackServer(this::answer);
        ConfigurableApplicationContext context = application(openAi, "tokenwatch.budgets[0].limit=100").run()) {
      tracker.set(context.getBean(TokenTracker.class));
      ChatClient chat = context.getBean(ChatClient.Builder.class).build();

      assertThat(chat.prompt("Hi").call().content()).isEqualTo("Hello!");
      assertThat(chat.prompt("Hi").call().content()).isEqualTo("Hello!");

      assertThat(openAi.drain()).hasSize(2);
      assertThat(heldAtRequest).containsExactly(NONE, NONE);
      assertThat(tracker.get().getPeriodCounts().totalTokens()).isEqualTo(3000);
    }
  }

  private OpenReservations reserved() {
    return tracker.get().budget("hard").getReserved();
  }

  /** OpenAI's answers: a server error for "Ko", a stream, a plain answer. */
  private LoopbackServer.Answer answer(LoopbackServer.Request request) {
    TokenTracker current = tracker.get();
    heldAtRequest.add(current == null ? NONE : current.budget("hard").getReserved());
    String body = request.body();
    if (body.contains("\"Ko\"")) {
      return new LoopbackServer.Answer(500, "application/json",
          List.of("{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"));
    }
    if (body.contains("\"stream\":true")) {
      return OpenAiChatCompletions.stream("chatcmpl-stream-1", List.of("Hello", " there"),
          OpenAiChatCompletions.usage(400, 100, 200));
    }
    return OpenAiChatCompletions.completion("chatcmpl-call-" + heldAtRequest.size(), "Hello!",
        OpenAiChatCompletions.usage(1200, 1000, 300));
  }

  private static SpringApplicationBuilder application(LoopbackServer openAi, String... more) {
    return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE).properties(
        "spring.ai.model.embedding=none", "spring.ai.model.image=none", "spring.ai.model.audio.speech=none",
        "spring.ai.model.audio.transcription=none", "spring.ai.model.moderation=none",
        "spring.ai.openai.api-key=sk-test",
        "spring.ai.openai.base-url=" + openAi.url() + "/v1",
        "spring.ai.openai.chat.model=gpt-4o-mini",
        "spring.ai.openai.chat.max-tokens=500",
        "spring.ai.openai.max-retries=0",
        "tokenwatch.store.type=memory",
        "tokenwatch.notifiers.console.enabled=false",
        "tokenwatch.budgets[0].name=hard",
        "tokenwatch.budgets[0].limit=2000",
        "tokenwatch.budgets[0].mode=hard").properties(more);
  }
}
