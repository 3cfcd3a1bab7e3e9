package dev.tokenwatch.integration.langchain4j.bench;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.tokenwatch.domain.BudgetMode;
import dev.tokenwatch.domain.Reservation;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.integration.langchain4j.LoopbackProvider;
import dev.tokenwatch.integration.langchain4j.ProviderBodies;
import dev.tokenwatch.integration.langchain4j.TokenwatchAdmission;
import dev.tokenwatch.integration.langchain4j.TokenwatchChatModelListener;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the enforcing mode adds to a call, beside what the listener adds, with the in-memory store and
 * a hard budget: {@code ChatModel.chat} through LangChain4j's own call path (merging the defaults,
 * notifying listeners) to a model that answers in process, so no HTTP noise hides the difference.
 * The answer is a real OpenAI response (OpenAiTokenUsage with cached tokens), with a new id each call.
 * Beside them, the domain's part: reserve and commit built events, against a plain track.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AdmissionBenchmark {

  private final AtomicLong ids = new AtomicLong();
  private ChatResponse sample;
  private ChatRequest request;
  private TokenTracker tracker;
  private ChatModel bare;
  private ChatModel listened;
  private ChatModel guarded;

  @Setup(Level.Trial)
  public void sampleResponse() throws IOException {
    try (LoopbackProvider api = LoopbackProvider.start("/v1/chat/completions")) {
      api.enqueue(LoopbackProvider.Reply.json(
          ProviderBodies.openAiCompletion("chatcmpl-0", "gpt-4o-2024-08-06", 1117, 1024, 46)));
      request = ChatRequest.builder().messages(UserMessage.from("Capital of France?")).maxOutputTokens(100).build();
      sample = OpenAiChatModel.builder().baseUrl(api.baseUrl()).apiKey("sk-bench").modelName("gpt-4o")
          .maxRetries(0).timeout(Duration.ofSeconds(10)).build().chat(request);
    }
    bare = new InProcessModel(List.of());
  }

  /** A fresh tracker each iteration: the in-memory store keeps every event. */
  @Setup(Level.Iteration)
  public void newTracker() {
    tracker = TokenTracker.create(TokenBudget.builder().limit(Long.MAX_VALUE / 4).period(BudgetPeriod.MONTHLY)
        .mode(BudgetMode.HARD).build(), a -> {});
    listened = new InProcessModel(List.of(TokenwatchChatModelListener.of(tracker)));
    guarded = TokenwatchAdmission.of(tracker).guard(bare);
  }

  /** The listener and the guard log and go on when tracking fails: make sure they tracked. */
  @TearDown(Level.Iteration)
  public void checkTracked(org.openjdk.jmh.infra.BenchmarkParams params) {
    if (!params.getBenchmark().endsWith("Bare") && tracker.getPeriodCounts().calls() == 0) {
      throw new IllegalStateException(params.getBenchmark() + " tracked nothing");
    }
  }

  /** Baseline: LangChain4j's call path to the in-process model, no listener. */
  @Benchmark
  public ChatResponse inProcessBare() {
    return bare.chat(request);
  }

  @Benchmark
  public ChatResponse inProcessWithListener() {
    return listened.chat(request);
  }

  /** Reserve the estimate, call, commit the response's usage. */
  @Benchmark
  public ChatResponse inProcessGuarded() {
    return guarded.chat(request);
  }

  /** The domain's part of the above: reserve a built estimate, commit a built event. */
  @Benchmark
  public TrackResult reserveAndCommit() {
    Reservation reservation = tracker.reserve(TokenUsageEvent.builder("gpt-4o").inputTokens(5).outputTokens(100)
        .timestamp(Instant.now()).build());
    return reservation.commit(TokenUsageEvent.builder("gpt-4o-2024-08-06").inputTokens(93).outputTokens(46)
        .cacheReadTokens(1024).timestamp(Instant.now()).requestId("chatcmpl-" + ids.incrementAndGet()).build());
  }

  /** The same tracker's plain {@code track} of the event, no reservation. */
  @Benchmark
  public TrackResult trackOnly() {
    return tracker.track(TokenUsageEvent.builder("gpt-4o-2024-08-06").inputTokens(93).outputTokens(46)
        .cacheReadTokens(1024).timestamp(Instant.now()).requestId("chatcmpl-" + ids.incrementAndGet()).build());
  }

  /** Answers each request with the sample response under a new id. */
  private final class InProcessModel implements ChatModel {
    private final List<ChatModelListener> listeners;
    private final ChatRequestParameters defaults = ChatRequestParameters.builder().modelName("gpt-4o").build();

    InProcessModel(List<ChatModelListener> listeners) {
      this.listeners = listeners;
    }

    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
      return ChatResponse.builder().aiMessage(sample.aiMessage())
          .metadata(sample.metadata().toBuilder().id("chatcmpl-" + ids.incrementAndGet()).build()).build();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
      return defaults;
    }

    @Override
    public List<ChatModelListener> listeners() {
      return listeners;
    }

    @Override
    public ModelProvider provider() {
      return ModelProvider.OPEN_AI;
    }
  }
}
