package dev.tokenwatch.domain;

import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.domain.reservation.ReservationRequest;
import java.time.Instant;
import java.util.Objects;

/**
 * The reservation half of a {@link TokenTracker}: reserves estimates in the store against the hard
 * budgets ({@link HardLimits}) and settles them, a commit through the tracker's {@link UsageRecorder}.
 */
final class Reservations {

  private final HardLimits hardLimits;
  private final UsageRecorder recorder;
  private final UsageStore store;
  private final Clock clock;

  Reservations(HardLimits hardLimits, UsageRecorder recorder, UsageStore store, Clock clock) {
    this.hardLimits = hardLimits;
    this.recorder = recorder;
    this.store = store;
    this.clock = clock;
  }

  /** See {@link TokenTracker#reserve(TokenUsageEvent)}. */
  Reservation reserve(TokenUsageEvent estimate) {
    Objects.requireNonNull(estimate, "estimate");
    Instant now = clock.now();
    HardLimits.Request request = hardLimits.request(estimate, recorder.current(now).windows, now);
    request.requireGranted(store.reserve(request.request(), now));
    return new Reservation(this, request.request().id(), request.request().expiresAt(), request.names());
  }

  /** See {@link TokenTracker#reserve(String, long)}. */
  Reservation reserve(String model, long estimatedTokens) {
    return reserve(TokenUsageEvent.builder(model).outputTokens(estimatedTokens).timestamp(clock.now()).build());
  }

  /** Commits {@code actual} as the usage of reservation {@code id}, checking the id's form (a caller's). */
  Committed commit(String id, TokenUsageEvent actual) {
    return recorder.track(actual, ReservationRequest.requireValidId(id));
  }

  /** Commits {@code actual} as the usage of {@code reservation}, whose id this tracker made. */
  Committed commit(Reservation reservation, TokenUsageEvent actual) {
    return recorder.track(actual, reservation.id());
  }

  /** Ends reservation {@code id} without usage; whether it was still open. */
  boolean release(String id) {
    return store.release(ReservationRequest.requireValidId(id), clock.now());
  }
}
