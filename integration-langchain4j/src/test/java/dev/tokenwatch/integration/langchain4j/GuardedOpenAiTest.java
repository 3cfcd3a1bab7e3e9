package dev.tokenwatch.integration.langchain4j;

import static dev.tokenwatch.integration.langchain4j.LoopbackProvider.Reply.error;
import static dev.tokenwatch.integration.langchain4j.LoopbackProvider.Reply.events;
import static dev.tokenwatch.integration.langchain4j.LoopbackProvider.Reply.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.tokenwatch.domain.BudgetExceededException;
import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.ledger.UsageFilter;
import dev.tokenwatch.domain.reservation.OpenReservations;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The enforcing mode on a real OpenAiChatModel / OpenAiStreamingChatModel and a loopback OpenAI API:
 * a hard budget of 1,500 tokens, requests of 18 characters (5 tokens) asking for at most 500.
 */
class GuardedOpenAiTest {

  private static final String ID = "chatcmpl-CZ4rw2AlU6cHnOgVfN3KZ1t8bXR5e";
  private static final long ESTIMATE = 5 + 500;

  private LoopbackProvider api;
  private TokenTracker tracker;
  private Tracked tracked;
  /** What the hard budget held when the model was about to send each request. */
  private final List<OpenReservations> heldAtRequest = new CopyOnWriteArrayList<>();
  private final ChatModelListener holdings = new ChatModelListener() {
    @Override
    public void onRequest(ChatModelRequestContext context) {
      heldAtRequest.add(tracker.budget("hard").getReserved());
    }
  };

  @BeforeEach
  void setUp() throws IOException {
    api = LoopbackProvider.start("/v1/chat/completions");
    tracker = TokenTracker.create(List.of(
        TokenBudget.builder().name("hard").limit(1500).period(BudgetPeriod.MONTHLY).mode(BudgetMode.HARD).build(),
        TokenBudget.builder().name("search").limit(400).mode(BudgetMode.HARD)
            .scope(UsageFilter.ANY.withProject("search")).build()), alert -> {});
    tracked = new Tracked();
  }

  @AfterEach
  void tearDown() {
    api.close();
  }

  private ChatModel guarded(ChatModelListener... listeners) {
    return TokenwatchAdmission.builder(tracker).onTracked(tracked).build().guard(OpenAiChatModel.builder()
        .baseUrl(api.baseUrl()).apiKey("sk-test").modelName("gpt-4o").maxRetries(0).timeout(Duration.ofSeconds(5))
        .listeners(List.of(listeners)).build());
  }

  private static ChatRequest request() {
    return ChatRequest.builder().messages(UserMessage.from("Capital of France?")).maxOutputTokens(500).build();
  }

  @Test
  void aCallWithinTheLimitIsCommittedWithItsRealUsageAndTheNextThatWouldPassItIsNotSent() {
    api.enqueue(json(ProviderBodies.openAiCompletion(ID, "gpt-4o-2024-08-06", 1000, 0, 200)));
    ChatModel model = guarded(holdings);

    assertThat(model.chat(request()).aiMessage().text()).isEqualTo("Paris.");

    assertThat(heldAtRequest).containsExactly(new OpenReservations(ESTIMATE, 1));
    assertThat(tracked.only().totalTokens()).isEqualTo(1200);
    assertThat(tracker.getPeriodCounts().totalTokens()).isEqualTo(1200);
    assertThat(tracker.budget("hard").getReserved()).isEqualTo(new OpenReservations(0, 0));

    assertThatThrownBy(() -> model.chat(request()))
        .isInstanceOfSatisfying(BudgetExceededException.class, refused -> {
          assertThat(refused.budget().name()).isEqualTo("hard");
          assertThat(refused.limit()).isEqualTo(1500);
          assertThat(refused.used()).isEqualTo(1200);
          assertThat(refused.reserved()).isZero();
          assertThat(refused.estimate()).isEqualTo(ESTIMATE);
        });
    assertThat(api.requests()).as("the refused request is not sent").hasSize(1);
    assertThat(tracker.getPeriodCounts().calls()).isEqualTo(1);
    assertThat(tracker.budget("hard").getReserved().count()).isZero();
  }

  @Test
  void aServerErrorReleasesTheReservation() {
    api.enqueue(error(500, ProviderBodies.openAiError("The server had an error", "server_error")));

    assertThatThrownBy(() -> guarded(holdings).chat(request())).hasMessageContaining("The server had an error");

    assertThat(heldAtRequest).containsExactly(new OpenReservations(ESTIMATE, 1));
    assertThat(tracker.budget("hard").getReserved()).isEqualTo(new OpenReservations(0, 0));
    assertThat(tracked.calls()).isEmpty();
    assertThat(tracker.getPeriodCounts().calls()).isZero();
  }

  @Test
  void theEstimateCarriesTheCallsProjectSoOnlyItsHardBudgetRefuses() {
    api.enqueue(json(ProviderBodies.openAiCompletion(ID, "gpt-4o-2024-08-06", 100, 0, 20)));
    ChatRequest large = ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build(); // 5 + 1024
    ChatModel model = guarded();

    assertThatThrownBy(() -> model.chat(large, TokenwatchAttributes.builder().project("search").toOptions()))
        .isInstanceOfSatisfying(BudgetExceededException.class, refused -> {
          assertThat(refused.budget().name()).isEqualTo("search");
          assertThat(refused.estimate()).isEqualTo(5 + ChatRequestEstimator.DEFAULT_OUTPUT_TOKENS);
        });
    model.chat(large, TokenwatchAttributes.builder().project("shop").toOptions());

    assertThat(api.requests()).hasSize(1);
    assertThat(tracked.only().project()).isEqualTo("shop");
    assertThat(tracker.budget("hard").getPeriodCounts().totalTokens()).isEqualTo(120);
    assertThat(tracker.budget("search").getPeriodCounts().totalTokens()).isZero();
  }

  @Test
  void aListenerOnTheGuardedModelLeavesTheCallToTheGuardSoItCountsOnce() {
    // no response id: were the call tracked by both, nothing would tell the two events apart
    api.enqueue(json(ProviderBodies.openAiCompletion("", "gpt-4o-2024-08-06", 1000, 0, 200)));
    Tracked byListener = new Tracked();

    guarded(TokenwatchChatModelListener.builder(tracker).onTracked(byListener).build()).chat(request());

    assertThat(byListener.calls()).isEmpty();
    assertThat(tracked.only().requestId()).isNull();
    assertThat(tracker.getPeriodCounts().calls()).isEqualTo(1);
    assertThat(tracker.getPeriodCounts().totalTokens()).isEqualTo(1200);
  }

  @Test
  void offByDefaultTheListenerAloneReservesNothingAndRefusesNothing() {
    api.enqueue(json(ProviderBodies.openAiCompletion(ID, "gpt-4o-2024-08-06", 1000, 0, 200)),
        json(ProviderBodies.openAiCompletion(ID + "2", "gpt-4o-2024-08-06", 1000, 0, 200)));
    ChatModel model = OpenAiChatModel.builder()
        .baseUrl(api.baseUrl()).apiKey("sk-test").modelName("gpt-4o").maxRetries(0).timeout(Duration.ofSeconds(5))
        .listeners(List.of(holdings, TokenwatchChatModelListener.of(tracker))).build();

    model.chat(request());
    model.chat(request()); // past the hard limit: the listener only tracks

    assertThat(api.requests()).hasSize(2);
    assertThat(heldAtRequest).containsOnly(new OpenReservations(0, 0));
    assertThat(tracker.budget("hard").getPeriodCounts().totalTokens()).isEqualTo(2400);
  }

  @Test
  void aStreamIsCommittedWhenItCompletesAndRefusedBeforeAnythingIsSent() throws Exception {
    api.enqueue(events(ProviderBodies.openAiStream(ID, "gpt-4o-mini-2024-07-18", 1100, 1000, 150)));
    StreamingChatModel model = streaming();

    assertThat(stream(model).get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("Paris.");

    assertThat(heldAtRequest).containsExactly(new OpenReservations(ESTIMATE, 1));
    assertThat(tracked.only().cacheReadTokens()).isEqualTo(1000);
    assertThat(tracker.budget("hard").getPeriodCounts().totalTokens()).isEqualTo(1250);
    assertThat(tracker.budget("hard").getReserved().count()).isZero();
    assertThatThrownBy(() -> stream(model)).isInstanceOf(BudgetExceededException.class);
    assertThat(api.requests()).hasSize(1);
  }

  @Test
  void aFailedStreamReleasesItsReservation() {
    api.enqueue(error(500, ProviderBodies.openAiError("The server had an error", "server_error")));

    CompletableFuture<ChatResponse> done = stream(streaming());

    assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasMessageContaining("The server had an error");
    assertThat(heldAtRequest).containsExactly(new OpenReservations(ESTIMATE, 1));
    assertThat(tracker.budget("hard").getReserved()).isEqualTo(new OpenReservations(0, 0));
    assertThat(tracker.getPeriodCounts().calls()).isZero();
  }

  @Test
  void aStreamCancelledByItsHandlerReleasesItsReservation() throws Exception {
    api.enqueue(events(ProviderBodies.openAiStream(ID, "gpt-4o-mini-2024-07-18", 1100, 1000, 150)));
    CompletableFuture<OpenReservations> afterCancel = new CompletableFuture<>();

    streaming().chat(request(), new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
        if (!afterCancel.isDone()) {
          context.streamingHandle().cancel();
          afterCancel.complete(tracker.budget("hard").getReserved());
        }
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {}

      @Override
      public void onError(Throwable error) {
        afterCancel.completeExceptionally(error);
      }
    });

    assertThat(afterCancel.get(10, TimeUnit.SECONDS)).isEqualTo(new OpenReservations(0, 0));
    assertThat(heldAtRequest).containsExactly(new OpenReservations(ESTIMATE, 1));
  }

  @Test
  void theModelsDefaultParametersCountInTheEstimateWithTheHeuristicAndReachACustomEstimator() {
    ChatRequestParameters defaults = ChatRequestParameters.builder().modelName("gpt-4o").maxOutputTokens(300)
        .toolSpecifications(ToolSpecification.builder().name("weather").description("Current weather").build())
        .build();
    List<ChatRequest> seen = new CopyOnWriteArrayList<>();
    ChatRequestEstimator custom = request -> {
      seen.add(request);
      return ChatRequestEstimator.heuristic().estimate(request);
    };
    for (ChatRequestEstimator estimator : List.of(ChatRequestEstimator.heuristic(), custom)) {
      api.enqueue(json(ProviderBodies.openAiCompletion(ID + estimator.hashCode(), "gpt-4o-2024-08-06", 10, 0, 2)));
      ChatModel model = TokenwatchAdmission.builder(tracker).estimator(estimator).build().guard(OpenAiChatModel
          .builder().baseUrl(api.baseUrl()).apiKey("sk-test").defaultRequestParameters(defaults).maxRetries(0)
          .timeout(Duration.ofSeconds(5)).listeners(List.of(holdings)).build());
      model.chat(ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build());
    }

    // 18 + 7 + 15 characters: 10 tokens, and the defaults' 300 output tokens
    assertThat(heldAtRequest).containsExactly(new OpenReservations(310, 1), new OpenReservations(310, 1));
    assertThat(seen).singleElement().satisfies(request -> {
      assertThat(request.modelName()).isEqualTo("gpt-4o");
      assertThat(request.maxOutputTokens()).isEqualTo(300);
      assertThat(request.toolSpecifications()).hasSize(1);
    });
  }

  private StreamingChatModel streaming() {
    return TokenwatchAdmission.builder(tracker).onTracked(tracked).build().guard(OpenAiStreamingChatModel.builder()
        .baseUrl(api.baseUrl()).apiKey("sk-test").modelName("gpt-4o-mini").timeout(Duration.ofSeconds(5))
        .listeners(List.of(holdings)).build());
  }

  private static CompletableFuture<ChatResponse> stream(StreamingChatModel model) {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    model.chat(request(), new StreamingChatResponseHandler() {
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
    return done;
  }
}
