package dev.tokenwatch.integration.langchain4j;

import static dev.tokenwatch.integration.langchain4j.LoopbackProvider.Reply.error;
import static dev.tokenwatch.integration.langchain4j.LoopbackProvider.Reply.events;
import static dev.tokenwatch.integration.langchain4j.LoopbackProvider.Reply.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackOutcome;
import dev.tokenwatch.domain.ledger.Counts;
import dev.tokenwatch.domain.testing.CapturedLog;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listener on a real OpenAiChatModel / OpenAiStreamingChatModel talking to a loopback OpenAI API. */
class OpenAiListenerTest {

  private static final String ID = "chatcmpl-CZ3qv1ZkT5bGmNfUeM2JY0s7aWQ4d";
  private static final String LISTENER_LOGGER = TokenwatchChatModelListener.class.getName();

  private LoopbackProvider api;
  private TokenTracker tracker;
  private Tracked tracked;

  @BeforeEach
  void setUp() throws IOException {
    api = LoopbackProvider.start("/v1/chat/completions");
    tracker = TokenTracker.create(TokenBudget.of(10_000_000, BudgetPeriod.MONTHLY), alert -> {});
    tracked = new Tracked();
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  private ChatModel model(int maxRetries) {
    return OpenAiChatModel.builder()
        .baseUrl(api.baseUrl()).apiKey("sk-test").modelName("gpt-4o")
        .maxRetries(maxRetries).timeout(Duration.ofSeconds(5))
        .listeners(List.of(TokenwatchChatModelListener.builder(tracker).onTracked(tracked).build()))
        .build();
  }

  @Test
  void cachedTokensAreMovedOutOfTheInputAndTheResponseIdIsTheRequestId() {
    api.enqueue(json(ProviderBodies.openAiCompletion(ID, "gpt-4o-2024-08-06", 1117, 1024, 46)));

    ChatResponse response = model(0).chat(UserMessage.from("Capital of France?"));

    assertThat(response.aiMessage().text()).isEqualTo("Paris.");
    TokenUsageEvent event = tracked.only();
    assertThat(event.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(event.inputTokens()).isEqualTo(93);
    assertThat(event.cacheReadTokens()).isEqualTo(1024);
    assertThat(event.cacheCreationTokens()).isZero();
    assertThat(event.outputTokens()).isEqualTo(46);
    assertThat(event.totalTokens()).isEqualTo(1163);
    assertThat(event.requestId()).isEqualTo(ID);
    Counts period = tracker.getPeriodCounts();
    assertThat(period.calls()).isEqualTo(1);
    assertThat(period.totalTokens()).isEqualTo(1163);
    assertThat(period.cacheReadTokens()).isEqualTo(1024);
    assertThat(period.costNanoUsd()).as("priced by the built-in table").isPositive();
  }

  @Test
  void theSameResponseDeliveredTwiceCountsOnce() {
    String body = ProviderBodies.openAiCompletion(ID, "gpt-4o-2024-08-06", 500, 0, 20);
    api.enqueue(json(body), json(body));
    ChatModel model = model(0);

    model.chat(UserMessage.from("Capital of France?"));
    model.chat(UserMessage.from("Capital of France?"));

    assertThat(tracked.calls()).extracting(Tracked.Call::outcome)
        .containsExactly(TrackOutcome.RECORDED, TrackOutcome.DUPLICATE);
    assertThat(tracker.getPeriodCounts().calls()).isEqualTo(1);
    assertThat(tracker.getPeriodCounts().totalTokens()).isEqualTo(520);
  }

  @Test
  void aCallTheModelRetriedAfterAServerErrorCountsOnce() {
    api.enqueue(error(503, ProviderBodies.openAiError("The server is overloaded", "server_error")),
        json(ProviderBodies.openAiCompletion(ID, "gpt-4o-2024-08-06", 300, 0, 10)));

    model(2).chat(UserMessage.from("Capital of France?"));

    assertThat(api.requests()).hasSize(2);
    assertThat(tracked.only().totalTokens()).isEqualTo(310);
    assertThat(tracker.getPeriodCounts().calls()).isEqualTo(1);
  }

  @Test
  void aFailedCallIsNotCharged() {
    api.enqueue(error(400, ProviderBodies.openAiError("Invalid 'messages': empty array", "invalid_request_error")));

    assertThatThrownBy(() -> model(0).chat(UserMessage.from("Capital of France?")))
        .hasMessageContaining("Invalid 'messages'");

    assertThat(tracked.calls()).isEmpty();
    assertThat(tracker.getPeriodCounts().calls()).isZero();
  }

  @Test
  void aStreamedResponseIsChargedOnceWithItsFinalUsage() throws Exception {
    api.enqueue(events(ProviderBodies.openAiStream(ID, "gpt-4o-mini-2024-07-18", 2006, 1920, 300)));
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
        .baseUrl(api.baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini").timeout(Duration.ofSeconds(5))
        .listeners(List.of(TokenwatchChatModelListener.builder(tracker).onTracked(tracked).build()))
        .build();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();

    model.chat(ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build(),
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(String partial) {}

          @Override
          public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });

    assertThat(done.get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("Paris.");
    tracked.await(1, Duration.ofSeconds(10));
    assertThat(api.requests().get(0)).containsPattern("\"include_usage\"\\s*:\\s*true");
    TokenUsageEvent event = tracked.only();
    assertThat(event.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(event.inputTokens()).isEqualTo(86);
    assertThat(event.cacheReadTokens()).isEqualTo(1920);
    assertThat(event.outputTokens()).isEqualTo(300);
    assertThat(event.totalTokens()).isEqualTo(2306);
    assertThat(event.requestId()).isEqualTo(ID);
    assertThat(tracker.getPeriodCounts().calls()).isEqualTo(1);
  }

  @Test
  void projectSessionAndTagsComeFromTheListenerAttributes() {
    api.enqueue(json(ProviderBodies.openAiCompletion(ID, "gpt-4o-2024-08-06", 100, 0, 5)));
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build();

    model(0).chat(request, TokenwatchAttributes.builder()
        .project("search").session("conversation-42").tag("team", "core").tag("env", "prod").toOptions());

    TokenUsageEvent event = tracked.only();
    assertThat(event.project()).isEqualTo("search");
    assertThat(event.session()).isEqualTo("conversation-42");
    assertThat(event.tags()).isEqualTo(Map.of("env", "prod", "team", "core"));
  }

  @Test
  void invalidAttributesAreDroppedWithAWarningAndTheUsageStillCounts() {
    api.enqueue(json(ProviderBodies.openAiCompletion(ID, "gpt-4o-2024-08-06", 100, 0, 5)));
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build();

    try (CapturedLog log = CapturedLog.attachTo(LISTENER_LOGGER)) {
      model(0).chat(request, TokenwatchAttributes.builder().project("search").tag("Team!", "core").toOptions());

      assertThat(log.at(Level.WARN)).singleElement().satisfies(entry ->
          assertThat(entry.message()).contains(ID, "not valid", "Team!"));
    }
    TokenUsageEvent event = tracked.only();
    assertThat(event.project()).isNull();
    assertThat(event.tags()).isEmpty();
    assertThat(tracker.getPeriodCounts().totalTokens()).isEqualTo(105);
  }

  @Test
  void aFailingTrackerIsLoggedAndTheCallGoesOn() {
    api.enqueue(json(ProviderBodies.openAiCompletion(ID, "gpt-4o-2024-08-06", 100, 0, 5)));
    // the listener stamps events an hour ahead: the tracker rejects them as from the future
    Instant ahead = Instant.now().plus(Duration.ofHours(1));
    ChatModel model = OpenAiChatModel.builder()
        .baseUrl(api.baseUrl()).apiKey("sk-test").modelName("gpt-4o").maxRetries(0)
        .listeners(List.of(TokenwatchChatModelListener.builder(tracker).clock(() -> ahead).onTracked(tracked).build()))
        .build();

    try (CapturedLog log = CapturedLog.attachTo(LISTENER_LOGGER)) {
      assertThat(model.chat(UserMessage.from("Capital of France?")).aiMessage().text()).isEqualTo("Paris.");

      assertThat(log.at(Level.WARN)).singleElement().satisfies(entry -> {
        assertThat(entry.message()).contains("could not track response " + ID, "the call goes on");
        assertThat(entry.thrown()).contains("in the future");
      });
    }
    assertThat(tracked.calls()).isEmpty();
    assertThat(tracker.getPeriodCounts().calls()).isZero();
  }

  @Test
  void theRequestedModelIsUsedWhenTheResponseNamesNone() {
    api.enqueue(json(ProviderBodies.openAiCompletion(ID, "gpt-4o-2024-08-06", 100, 0, 5)
        .replace("\"model\": \"gpt-4o-2024-08-06\",", "")));

    model(0).chat(UserMessage.from("Capital of France?"));

    assertThat(tracked.only().model()).isEqualTo("gpt-4o");
  }
}
