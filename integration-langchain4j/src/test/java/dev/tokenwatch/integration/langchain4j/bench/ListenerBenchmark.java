package dev.tokenwatch.integration.langchain4j.bench;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.tokenwatch.domain.BudgetMode;
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
import java.util.concurrent.ConcurrentHashMap;
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
 * What the listener adds to a call, with the in-memory store. Two pairs: a real OpenAiChatModel call
 * to a loopback OpenAI API without and with the listener (the added cost drowns in the HTTP call's
 * noise), and the listener's {@code onResponse} alone against building the same response context
 * (a real OpenAiTokenUsage with cached tokens, a new id each call so none is a duplicate), with the
 * domain's own part beside it: building the same event and tracking it, no LangChain4j.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime) // percentiles: the median stands when a loaded machine deschedules the thread
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ListenerBenchmark {

  private final AtomicLong ids = new AtomicLong();
  private LoopbackProvider api;
  private ChatModel bare;
  private ChatModel listened;
  private ChatModel guarded;
  private TokenTracker guardTracker;
  private ChatRequest request;
  private ChatResponse sample;
  private ChatModelListener listener;
  private TokenTracker callTracker;
  private TokenTracker tracker;

  @Setup(Level.Trial)
  public void startServer() throws IOException {
    api = LoopbackProvider.start("/v1/chat/completions").always(() -> LoopbackProvider.Reply.json(
        ProviderBodies.openAiCompletion("chatcmpl-" + ids.incrementAndGet(), "gpt-4o-2024-08-06", 1117, 1024, 46)));
    bare = model(List.of());
    // a trial-long tracker: HTTP calls are few enough for memory
    callTracker = TokenTracker.create(TokenBudget.of(Long.MAX_VALUE / 4, BudgetPeriod.MONTHLY), a -> {});
    listened = model(List.of(TokenwatchChatModelListener.of(callTracker)));
    guardTracker = TokenTracker.create(TokenBudget.builder().limit(Long.MAX_VALUE / 4).period(BudgetPeriod.MONTHLY)
        .mode(BudgetMode.HARD).build(), a -> {});
    guarded = TokenwatchAdmission.of(guardTracker).guard(bare);
    request = ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build();
    sample = bare.chat(request); // a real response, OpenAiTokenUsage and all
  }

  /** A fresh tracker each iteration: the in-memory store keeps every event. */
  @Setup(Level.Iteration)
  public void newTracker() {
    tracker = TokenTracker.create(TokenBudget.of(Long.MAX_VALUE / 4, BudgetPeriod.MONTHLY), a -> {});
    listener = TokenwatchChatModelListener.of(tracker);
  }

  private ChatModel model(List<ChatModelListener> listeners) {
    return OpenAiChatModel.builder().baseUrl(api.baseUrl()).apiKey("sk-bench").modelName("gpt-4o")
        .maxRetries(0).timeout(Duration.ofSeconds(10)).listeners(listeners).build();
  }

  /** The listener logs and goes on when tracking fails: make sure it tracked, or the figure is of the failure. */
  @TearDown(Level.Iteration)
  public void checkTracked(org.openjdk.jmh.infra.BenchmarkParams params) {
    TokenTracker used = params.getBenchmark().endsWith("listenerOnResponse") || params.getBenchmark().endsWith("trackBuiltEvent")
        ? tracker
        : params.getBenchmark().endsWith("callWithListener") ? callTracker
        : params.getBenchmark().endsWith("callGuarded") ? guardTracker : null;
    if (used != null && used.getPeriodCounts().calls() == 0) {
      throw new IllegalStateException(params.getBenchmark() + " tracked nothing");
    }
  }

  @TearDown(Level.Trial)
  public void stopServer() {
    api.close();
  }

  /** Baseline: the call through LangChain4j to the loopback server, no listener. */
  @Benchmark
  public ChatResponse callBare() {
    return bare.chat(request);
  }

  @Benchmark
  public ChatResponse callWithListener() {
    return listened.chat(request);
  }

  /** The enforcing mode on the same call: reserve the estimate, call, commit the usage. */
  @Benchmark
  public ChatResponse callGuarded() {
    return guarded.chat(request);
  }

  /** Baseline of the next: the response context a model hands its listeners, with a new id. */
  @Benchmark
  public ChatModelResponseContext buildContext() {
    return context();
  }

  @Benchmark
  public ChatModelResponseContext listenerOnResponse() {
    ChatModelResponseContext context = context();
    listener.onResponse(context);
    return context;
  }

  /** The domain's part of the above: the same event, built and tracked directly. */
  @Benchmark
  public TrackResult trackBuiltEvent() {
    return tracker.track(TokenUsageEvent.builder("gpt-4o-2024-08-06").inputTokens(93).outputTokens(46)
        .cacheReadTokens(1024).timestamp(Instant.now()).requestId("chatcmpl-" + ids.incrementAndGet()).build());
  }

  private ChatModelResponseContext context() {
    // the id lives in the provider's metadata (OpenAiChatResponseMetadata, with the OpenAiTokenUsage)
    ChatResponse response = ChatResponse.builder().aiMessage(sample.aiMessage())
        .metadata(sample.metadata().toBuilder().id("chatcmpl-" + ids.incrementAndGet()).build()).build();
    return new ChatModelResponseContext(response, request, ModelProvider.OPEN_AI, new ConcurrentHashMap<>());
  }
}
