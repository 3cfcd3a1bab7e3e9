package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.tokenwatch.domain.Reservation;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.TrackResult;
import dev.tokenwatch.domain.port.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One admitted call's reservation, settled once: committed with the response's usage, or released.
 * A stream cancelled (released) and then completed after all still records its usage.
 */
final class AdmittedCall {

  private static final Logger LOG = LogManager.getLogger(TokenwatchAdmission.class);
  private static final int OPEN = 0;
  private static final int RELEASED = 1;
  private static final int COMMITTED = 2;

  private final TokenTracker tracker;
  private final Reservation reservation;
  private final String requestedModel;
  private final Map<Object, Object> attributes;
  private final Clock clock;
  private final BiConsumer<TokenUsageEvent, TrackResult> onTracked;
  private final AtomicInteger state = new AtomicInteger(OPEN);

  AdmittedCall(TokenTracker tracker, Reservation reservation, String requestedModel, Map<Object, Object> attributes,
      Clock clock, BiConsumer<TokenUsageEvent, TrackResult> onTracked) {
    this.tracker = tracker;
    this.reservation = reservation;
    this.requestedModel = requestedModel;
    this.attributes = attributes;
    this.clock = clock;
    this.onTracked = onTracked;
  }

  /** Commits the usage of {@code response}; never throws (the call happened: its response goes on). */
  void commit(ChatResponse response) {
    int before = state.getAndSet(COMMITTED);
    if (before == COMMITTED) {
      return;
    }
    TokenUsageEvent event;
    TrackResult result;
    try {
      event = response == null ? null : ChatUsageEvents.of(response, requestedModel, attributes, clock.now());
      if (event == null) {
        LOG.warn("tokenwatch: response {} reports no token usage; reservation {} released, nothing tracked",
            response == null ? null : response.id(), reservation.id());
        if (before == OPEN) {
          tracker.release(reservation.id());
        }
        return;
      }
      result = tracker.commit(reservation.id(), event).tracked();
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("tokenwatch: could not commit reservation {} with response {}; it expires at {}", reservation.id(),
          response.id(), reservation.expiresAt(), e);
      return;
    }
    try {
      onTracked.accept(event, result);
    } catch (RuntimeException e) {
      LOG.warn("tokenwatch: the onTracked callback failed for response {}; the usage is tracked", response.id(), e);
    }
  }

  /** Releases the reservation unless it was settled; never throws (the caller has its own error). */
  void release() {
    if (!state.compareAndSet(OPEN, RELEASED)) {
      return;
    }
    try {
      tracker.release(reservation.id());
    } catch (RuntimeException e) {
      LOG.warn("tokenwatch: could not release reservation {}; it expires at {}", reservation.id(),
          reservation.expiresAt(), e);
    }
  }
}
