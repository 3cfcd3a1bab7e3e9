package dev.tokenwatch.domain.ledger;

import dev.tokenwatch.domain.TokenUsageEvent;

/**
 * The replace-or-duplicate rule of the ledger, in one place: an event with a request id is counted
 * once across the whole ledger. A later record of the same id with a larger total replaces the
 * counted one (it is the same call, reported more completely, e.g. a streamed response's final
 * usage); one whose total is not larger is a duplicate and changes nothing. Events without a request
 * id are always counted. Request ids are compared exactly.
 */
public final class RequestRule {

  private RequestRule() {}

  /** What recording an event does. */
  public enum Decision {
    /** The event is new: count it. */
    RECORD,
    /** The event replaces the counted one with the same id: remove that, count this. */
    REPLACE,
    /** The counted event stands: drop this one. */
    DUPLICATE
  }

  /**
   * The decision for {@code incoming}, given the total of the event counted under its request id
   * ({@code -1} if none is).
   */
  public static Decision decide(long countedTotal, TokenUsageEvent incoming) {
    if (incoming.requestId() == null || countedTotal < 0) {
      return Decision.RECORD;
    }
    return incoming.totalTokens() > countedTotal ? Decision.REPLACE : Decision.DUPLICATE;
  }
}
