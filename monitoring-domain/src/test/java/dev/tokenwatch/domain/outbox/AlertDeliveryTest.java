package dev.tokenwatch.domain.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.domain.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

class AlertDeliveryTest {

  private final MutableClock clock = MutableClock.at("2026-11-15T10:00:00Z");
  private final InMemoryUsageStore store = new InMemoryUsageStore();
  private final TokenBudget budget = TokenBudget.of(1_000, BudgetPeriod.MONTHLY);

  /** A remote sink that fails while {@code down} is set. */
  private static final class Flaky implements AlertSink {
    final AtomicBoolean down = new AtomicBoolean(true);
    final List<Alert> received = new CopyOnWriteArrayList<>();

    @Override
    public void deliver(Alert alert) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<String> deliverNow(Alert alert) {
      if (down.get()) {
        return Optional.of("HTTP 500 down");
      }
      received.add(alert);
      return Optional.empty();
    }

    @Override
    public String name() {
      return "flaky";
    }

    @Override
    public boolean remote() {
      return true;
    }
  }

  private TokenTracker tracker(AlertSink sink, DeliveryPolicy policy) {
    return TokenTracker.builder(budget).store(store).clock(clock).sink(sink).alertDelivery(policy).build();
  }

  private void track(TokenTracker tracker, long tokens) {
    tracker.track(TokenUsageEvent.builder("m").inputTokens(tokens).timestamp(clock.now()).build());
  }

  @Test
  void aFailedAlertStaysInTheOutboxAndTheNextTrackerDeliversItOnce() throws Exception {
    Flaky slack = new Flaky();
    TokenTracker first = tracker(slack, DeliveryPolicy.DEFAULT);
    track(first, 800);
    AlertDelivery.Backlog backlog = first.awaitAlerts(Duration.ofMillis(300));
    assertThat(backlog.undelivered()).isEqualTo(1);
    assertThat(backlog.lastProblem()).isEqualTo("flaky: HTTP 500 down");
    assertThat(store.outbox().undelivered()).singleElement()
        .satisfies(e -> assertThat(e.lastProblem()).isEqualTo("HTTP 500 down"));

    slack.down.set(false);
    clock.advance(Duration.ofSeconds(2));
    TokenTracker second = tracker(slack, DeliveryPolicy.DEFAULT);
    assertThat(second.awaitAlerts(Duration.ofSeconds(5)).undelivered()).isZero();
    assertThat(slack.received).extracting(Alert::threshold).containsExactly(0.8);
    assertThat(store.outbox().undelivered()).isEmpty();
    TokenTracker third = tracker(slack, DeliveryPolicy.DEFAULT);
    assertThat(third.awaitAlerts(Duration.ofMillis(100)).undelivered()).isZero();
    assertThat(slack.received).hasSize(1);
  }

  @Test
  void theSameProcessRetriesWithBackoffUntilDelivered() throws Exception {
    Flaky slack = new Flaky();
    DeliveryPolicy fast = new DeliveryPolicy(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofHours(1),
        Duration.ofMinutes(1));
    TokenTracker tracker = TokenTracker.builder(budget).store(store).clock(java.time.Instant::now).sink(slack)
        .alertDelivery(fast).build();
    tracker.track(TokenUsageEvent.builder("m").inputTokens(900).timestamp(java.time.Instant.now()).build());
    Thread.sleep(120);
    slack.down.set(false);
    assertThat(tracker.awaitAlerts(Duration.ofSeconds(10)).undelivered()).isZero();
    assertThat(slack.received).hasSize(1);
    assertThat(store.outbox().undelivered()).isEmpty();
  }

  @Test
  void anAlertOlderThanGiveUpAfterIsGivenUpAndListed() throws Exception {
    Flaky slack = new Flaky();
    TokenTracker first = tracker(slack, DeliveryPolicy.DEFAULT);
    track(first, 800);
    first.awaitAlerts(Duration.ofMillis(200));
    clock.advance(Duration.ofHours(25));
    TokenTracker later = tracker(slack, DeliveryPolicy.DEFAULT);
    later.awaitAlerts(Duration.ofSeconds(5));
    assertThat(later.undeliveredAlerts()).singleElement().satisfies(e -> {
      assertThat(e.givenUp()).isTrue();
      assertThat(e.attempts()).isEqualTo(2);
    });
    assertThat(slack.received).isEmpty();
  }

  @Test
  void localSinksGetTheAlertBeforeTrackReturnsAndRemoteOnesInTheBackground() throws Exception {
    List<Alert> local = new CopyOnWriteArrayList<>();
    Flaky slack = new Flaky();
    slack.down.set(false);
    TokenTracker tracker = TokenTracker.builder(budget).store(store).clock(clock).sink(local::add).sink(slack).build();
    track(tracker, 700);
    assertThat(local).hasSize(1);
    assertThat(tracker.awaitAlerts(Duration.ofSeconds(5)).undelivered()).isZero();
    assertThat(slack.received).containsExactlyElementsOf(local);
    assertThat(slack.received.get(0).id()).hasSize(16);
  }

  @Test
  void sinksOfTheSameNameAreToldApart() {
    AlertSink a = alert -> {};
    AlertSink b = new AlertSink() {
      @Override
      public void deliver(Alert alert) {}

      @Override
      public String name() {
        return "console";
      }
    };
    AlertSink c = new AlertSink() {
      @Override
      public void deliver(Alert alert) {}

      @Override
      public String name() {
        return "console";
      }
    };
    AlertDelivery delivery = new AlertDelivery(List.of(a, b, c), store.outbox(), clock, DeliveryPolicy.DEFAULT);
    assertThat(delivery.sinkNames()).hasSize(3).contains("console", "console#2");
  }

  /** A remote sink that always throws {@code failure}. */
  private static AlertSink throwing(RuntimeException failure) {
    return new AlertSink() {
      @Override
      public void deliver(Alert alert) {
        throw failure;
      }

      @Override
      public Optional<String> deliverNow(Alert alert) {
        throw failure;
      }

      @Override
      public String name() {
        return "busy";
      }

      @Override
      public boolean remote() {
        return true;
      }
    };
  }

  @Test
  void aSinkAskingForAWaitIsRetriedNoSoonerAndItsMessageIsKeptAsItIs() throws Exception {
    TokenTracker tracker = tracker(throwing(new DeliveryFailedException("HTTP 429 rate_limited, Retry-After 90 s",
        Duration.ofSeconds(90))), DeliveryPolicy.DEFAULT);
    track(tracker, 800);
    assertThat(tracker.awaitAlerts(Duration.ofMillis(300)).lastProblem())
        .isEqualTo("busy: HTTP 429 rate_limited, Retry-After 90 s");
    assertThat(store.outbox().undelivered()).singleElement().satisfies(e -> {
      assertThat(e.nextAttemptAt()).isEqualTo(clock.now().plusSeconds(90)); // not the first backoff, 1 s
      assertThat(e.lastProblem()).isEqualTo("HTTP 429 rate_limited, Retry-After 90 s");
    });
  }

  @Test
  void anyOtherExceptionIsRetriedWithTheBackoffAndNamedByItsClass() throws Exception {
    TokenTracker tracker = tracker(throwing(new IllegalStateException("boom")), DeliveryPolicy.DEFAULT);
    track(tracker, 800);
    tracker.awaitAlerts(Duration.ofMillis(300));
    assertThat(store.outbox().undelivered()).singleElement().satisfies(e -> {
      assertThat(e.nextAttemptAt()).isEqualTo(clock.now().plusSeconds(1));
      assertThat(e.lastProblem()).isEqualTo("java.lang.IllegalStateException: boom");
    });
  }

  @Test
  void aRequestedWaitCountsWhenLongerThanTheBackoffAndNeverBeyondTheLongestRetry() {
    DeliveryPolicy policy = DeliveryPolicy.DEFAULT;
    assertThat(policy.backoff(1, Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backoff(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.backoff(7, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(64));
    assertThat(policy.backoff(1, Duration.ofDays(2))).isEqualTo(Duration.ofMinutes(5));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new DeliveryFailedException("late", Duration.ofSeconds(-1)))
        .withMessage("retryAfter must not be negative, got PT-1S");
  }

  /** Holds the worker inside its WARN line about a failed attempt (as a slow first log line does). */
  private static final class HeldWarning extends AbstractAppender implements AutoCloseable {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final String logger = AlertDelivery.class.getName();

    HeldWarning() {
      super("held-warning", null, null, true, Property.EMPTY_ARRAY);
      start();
      LoggerConfig config = new LoggerConfig(logger, Level.WARN, false);
      config.addAppender(this, Level.WARN, null);
      context.getConfiguration().addLogger(logger, config);
      context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
      if (event.getMessage().getFormattedMessage().contains("not delivered to")) {
        reached.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void close() {
      release.countDown();
      context.getConfiguration().removeLogger(logger);
      context.updateLoggers();
      stop();
    }
  }

  @Test
  void anEntryWhoseFailureIsBeingLoggedIsCountedOnce() throws Exception {
    try (HeldWarning held = new HeldWarning()) {
      TokenTracker tracker = tracker(new Flaky(), DeliveryPolicy.DEFAULT);
      track(tracker, 800);
      assertThat(held.reached.await(10, TimeUnit.SECONDS)).isTrue(); // its retry is booked, the worker still busy
      assertThat(tracker.awaitAlerts(Duration.ofMillis(50)).undelivered()).isEqualTo(1);
    }
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    DeliveryPolicy policy = DeliveryPolicy.DEFAULT;
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(policy.backoff(9)).isEqualTo(Duration.ofMinutes(4).plusSeconds(16));
    assertThat(policy.backoff(10)).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.backoff(100)).isEqualTo(Duration.ofMinutes(5));
  }
}
