package dev.tokenwatch.domain.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How alerts are retried from the outbox.
 *
 * @param firstRetry the wait after the first failure; it doubles with each further one
 * @param maxRetry the longest wait between attempts
 * @param giveUpAfter how long after it was raised an alert is still tried; then it is given up,
 *     logged at ERROR and listed as given up
 * @param lease how long a process that took an alert has it to itself: longer than one delivery
 *     can take (a sink's timeouts), short enough that another process soon delivers an alert whose
 *     taker was killed
 */
public record DeliveryPolicy(Duration firstRetry, Duration maxRetry, Duration giveUpAfter, Duration lease) {

  /** 1 s first retry, at most 5 min between attempts, given up after 24 h, 1 min leases. */
  public static final DeliveryPolicy DEFAULT =
      new DeliveryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofMinutes(1));

  public DeliveryPolicy {
    positive(firstRetry, "firstRetry");
    positive(maxRetry, "maxRetry");
    positive(giveUpAfter, "giveUpAfter");
    positive(lease, "lease");
    if (maxRetry.compareTo(firstRetry) < 0) {
      throw new IllegalArgumentException("maxRetry (" + maxRetry + ") must not be shorter than firstRetry ("
          + firstRetry + ")");
    }
  }

  /** This policy giving up after {@code value}. */
  public DeliveryPolicy withGiveUpAfter(Duration value) {
    return new DeliveryPolicy(firstRetry, maxRetry, value, lease);
  }

  /** This policy with leases of {@code value}. */
  public DeliveryPolicy withLease(Duration value) {
    return new DeliveryPolicy(firstRetry, maxRetry, giveUpAfter, value);
  }

  /** The wait after failed attempt number {@code attempts}: firstRetry × 2^(attempts-1), at most maxRetry. */
  public Duration backoff(int attempts) {
    int doublings = Math.min(Math.max(attempts - 1, 0), 30);
    long millis = firstRetry.toMillis() << doublings;
    return millis <= 0 || millis > maxRetry.toMillis() ? maxRetry : Duration.ofMillis(millis);
  }

  /**
   * The wait after failed attempt number {@code attempts} when the receiver asked for {@code
   * retryAfter}: the longer of the two, yet at most maxRetry, so a huge or bogus request cannot hold
   * an alert back longer than the policy ever waits (a receiver still busy then just asks again).
   */
  public Duration backoff(int attempts, Duration retryAfter) {
    Duration wait = backoff(attempts);
    if (retryAfter.compareTo(wait) <= 0) {
      return wait;
    }
    return retryAfter.compareTo(maxRetry) < 0 ? retryAfter : maxRetry;
  }

  private static void positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
