package dev.tokenwatch.domain;

/** Whether a budget only alerts or also refuses calls that would pass it. */
public enum BudgetMode {
  /** Alerts only: usage is recorded whatever the total (the default). */
  SOFT,
  /**
   * A hard limit: {@link TokenTracker#reserve} refuses a call whose estimate, beside the committed
   * usage and the open reservations, would pass the limit.
   */
  HARD
}
