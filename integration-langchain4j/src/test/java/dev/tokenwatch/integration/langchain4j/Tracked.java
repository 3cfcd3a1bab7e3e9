package dev.tokenwatch.integration.langchain4j;

import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackOutcome;
import dev.tokenwatch.domain.TrackResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** What a listener's onTracked callback saw: each event with its outcome, in order. */
final class Tracked implements BiConsumer<TokenUsageEvent, TrackResult> {

  record Call(TokenUsageEvent event, TrackOutcome outcome) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Semaphore arrived = new Semaphore(0);

  @Override
  public void accept(TokenUsageEvent event, TrackResult result) {
    calls.add(new Call(event, result.outcome()));
    arrived.release();
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  TokenUsageEvent only() {
    if (calls.size() != 1) {
      throw new AssertionError("expected one tracked event, got " + calls);
    }
    return calls.get(0).event();
  }

  /** Waits for {@code count} more callbacks (streaming models call listeners on the HTTP client's thread). */
  void await(int count, Duration timeout) throws InterruptedException {
    if (!arrived.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("expected " + count + " more tracked events within " + timeout + ", got " + calls);
    }
  }
}
