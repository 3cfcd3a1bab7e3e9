package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.env.AppEnvironment;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM for {@link AuditCrashTest}: the application as {@code tokenwatch} assembles it (its
 * configuration from {@code $TOKENWATCH_CONFIG}, the audit trail in the state directory), tracking
 * events without request id until killed, one by one and in batches of 5. The events repeat (the
 * same model, counts and timestamp, stamped from {@code args[0]}), so the store holds several equal
 * ones: the audit trail must name each as often as the store holds it.
 */
public final class TrackLoopMain {

  private TrackLoopMain() {}

  public static void main(String[] args) {
    Instant base = Instant.parse(args[0]);
    try (CliContext context = new CliContext(AppEnvironment.system(), System.out, System.err, true)) {
      TokenTracker tracker = context.application().tracker();
      for (long i = 0; ; i++) {
        if (i % 2 == 0) {
          tracker.track(event(base, i));
        } else {
          List<TokenUsageEvent> batch = new ArrayList<>();
          for (int j = 0; j < 5; j++) {
            batch.add(event(base, i * 5 + j));
          }
          tracker.trackAll(batch);
        }
      }
    }
  }

  private static TokenUsageEvent event(Instant base, long i) {
    return TokenUsageEvent.builder("claude-haiku-4").inputTokens(1 + i % 7).outputTokens(i % 3)
        .timestamp(base.plusSeconds(i % 40)).build();
  }
}
