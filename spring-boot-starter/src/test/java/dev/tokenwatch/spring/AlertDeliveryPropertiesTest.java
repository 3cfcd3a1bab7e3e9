package dev.tokenwatch.spring;

import static dev.tokenwatch.spring.TokenwatchAutoConfigurationTest.assertBindFailure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.config.Durations;
import dev.tokenwatch.config.NotifierSettings;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.domain.port.Clock;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code tokenwatch.notifiers.give-up-after} and {@code .wait-on-exit}: bound as Spring durations,
 * checked by the configuration file's rules while bound, and honoured by the tracker and on close.
 */
class AlertDeliveryPropertiesTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TokenwatchAutoConfiguration.class))
      .withPropertyValues("tokenwatch.store.type=memory", "tokenwatch.budgets[0].limit=100",
          "tokenwatch.notifiers.console.enabled=false");

  @Test
  void aValueTheFileWouldRefuseFailsBindingNamingThePropertyAndTheValue() {
    assertBindFailure(runner.withPropertyValues("tokenwatch.notifiers.give-up-after=0s"),
        "tokenwatch.notifiers.give-up-after", "tokenwatch.notifiers.give-up-after must be a positive whole number "
            + "of seconds, minutes or hours such as 90s, 10m or 1h (default 24h), got 0s");
    assertBindFailure(runner.withPropertyValues("tokenwatch.notifiers.give-up-after=1500ms"),
        "tokenwatch.notifiers.give-up-after", "tokenwatch.notifiers.give-up-after must be a positive whole number "
            + "of seconds, minutes or hours such as 90s, 10m or 1h (default 24h), got 1500ms");
    assertBindFailure(runner.withPropertyValues("tokenwatch.notifiers.wait-on-exit=-1s"),
        "tokenwatch.notifiers.wait-on-exit", "tokenwatch.notifiers.wait-on-exit must be a whole number of seconds, "
            + "minutes or hours such as 0s, 3s or 1m (default 3s), got -1s");
    // what is not a duration at all is Spring's conversion error, on the same property
    assertBindFailure(runner.withPropertyValues("tokenwatch.notifiers.wait-on-exit=soon"),
        "tokenwatch.notifiers.wait-on-exit", "soon");
  }

  @Test
  void theDefaultsAreTheFilesAndSpringsFormsAreRead() {
    runner.run(context -> {
      assertThat(context.getBean(AlertsOnClose.class).waitOnExit()).isEqualTo(NotifierSettings.DEFAULT_WAIT_ON_EXIT);
      assertThat(context.getBean(TokenwatchProperties.class).getNotifiers().getGiveUpAfter())
          .isEqualTo(NotifierSettings.DEFAULT_GIVE_UP_AFTER);
    });
    runner.withPropertyValues("tokenwatch.notifiers.wait-on-exit=90s", "tokenwatch.notifiers.give-up-after=2d")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(AlertsOnClose.class).waitOnExit()).isEqualTo(Duration.ofSeconds(90));
        });
  }

  @Test
  void theMetadataDocumentsBothWithTheModelsDefaults() throws Exception {
    JsonNode metadata;
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      metadata = new ObjectMapper().readTree(in);
    }
    for (var expected : java.util.Map.of("tokenwatch.notifiers.give-up-after", NotifierSettings.DEFAULT_GIVE_UP_AFTER,
        "tokenwatch.notifiers.wait-on-exit", NotifierSettings.DEFAULT_WAIT_ON_EXIT).entrySet()) {
      JsonNode property = null;
      for (JsonNode p : metadata.get("properties")) {
        if (p.get("name").asText().equals(expected.getKey())) {
          property = p;
        }
      }
      assertThat(property).as(expected.getKey()).isNotNull();
      assertThat(property.get("type").asText()).isEqualTo("java.time.Duration");
      assertThat(property.get("description").asText()).isNotBlank();
      assertThat(property.get("defaultValue").asText()).isEqualTo(Durations.format(expected.getValue()));
    }
  }

  @Test
  void anAlertFailingLongerThanGiveUpAfterIsGivenUp() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-10T12:00:00Z"));
    // the failed attempt ends 2 h after the alert was raised: past 1 h, not past the default 24 h
    FailingSink sink = new FailingSink(() -> now.set(now.get().plus(Duration.ofHours(2))));
    runner.withPropertyValues("tokenwatch.notifiers.give-up-after=1h")
        .withBean(Clock.class, () -> now::get).withBean(AlertSink.class, () -> sink).run(context -> {
          TokenTracker tracker = context.getBean(TokenTracker.class);
          tracker.track(TokenUsageEvent.builder("gpt-4o").inputTokens(60).timestamp(now.get()).build());
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
          while (tracker.undeliveredAlerts().stream().noneMatch(a -> a.givenUp()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          assertThat(tracker.undeliveredAlerts()).singleElement().satisfies(a -> assertThat(a.givenUp()).isTrue());
          assertThat(sink.attempts.get()).isEqualTo(1);
        });
    // the same failure with the default is retried
    AtomicReference<Instant> later = new AtomicReference<>(Instant.parse("2026-03-10T12:00:00Z"));
    FailingSink retried = new FailingSink(() -> later.set(later.get().plus(Duration.ofHours(2))));
    // (not waiting on close for the retries, due every second)
    runner.withPropertyValues("tokenwatch.notifiers.wait-on-exit=0s")
        .withBean(Clock.class, () -> later::get).withBean(AlertSink.class, () -> retried).run(context -> {
      TokenTracker tracker = context.getBean(TokenTracker.class);
      tracker.track(TokenUsageEvent.builder("gpt-4o").inputTokens(60).timestamp(later.get()).build());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (tracker.undeliveredAlerts().stream().noneMatch(a -> a.attempts() >= 1 && !a.lastProblem().isEmpty())
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(tracker.undeliveredAlerts()).singleElement().satisfies(a -> {
        assertThat(a.lastProblem()).isEqualTo("down");
        assertThat(a.givenUp()).isFalse();
      });
    });
  }

  @Test
  void closingTheContextWaitsUpToWaitOnExitForTheAlertsInDelivery() throws Exception {
    // a delivery ending 4.5 s after it began: after the default 3 s wait (and the second delivery's
    // stop waits for its worker), within 1 minute; however slow the machine, closing waits for it
    SlowSink sink = new SlowSink(Duration.ofMillis(4500));
    runner.withPropertyValues("tokenwatch.notifiers.wait-on-exit=1m").withBean(AlertSink.class, () -> sink)
        .run(context -> {
          context.getBean(TokenTracker.class)
              .track(TokenUsageEvent.builder("gpt-4o").inputTokens(60).timestamp(Instant.now()).build());
          assertThat(sink.started.await(10, TimeUnit.SECONDS)).as("delivery started").isTrue();
        });
    assertThat(sink.finished.getCount()).as("delivered before the context was closed").isZero();
  }

  /** A remote sink whose every delivery fails, after {@code duringAttempt}. */
  static final class FailingSink implements AlertSink {
    final AtomicInteger attempts = new AtomicInteger();
    private final Runnable duringAttempt;

    FailingSink(Runnable duringAttempt) {
      this.duringAttempt = duringAttempt;
    }

    @Override
    public void deliver(Alert alert) {
      throw new IllegalStateException("down");
    }

    @Override
    public boolean remote() {
      return true;
    }

    @Override
    public Optional<String> deliverNow(Alert alert) {
      attempts.incrementAndGet();
      duringAttempt.run();
      return Optional.of("down");
    }
  }

  /** A remote sink whose delivery takes {@code time}. */
  static final class SlowSink implements AlertSink {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch finished = new CountDownLatch(1);
    private final Duration time;

    SlowSink(Duration time) {
      this.time = time;
    }

    @Override
    public void deliver(Alert alert) {
      started.countDown();
      try {
        Thread.sleep(time.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.countDown();
    }

    @Override
    public boolean remote() {
      return true;
    }
  }
}
