package dev.tokenwatch.domain;

/** Severity of an alert, derived from its threshold. */
public enum AlertLevel {
  /** Thresholds below 70%. */
  INFO,
  /** Thresholds from 70% up to below 90%. */
  WARNING,
  /** Thresholds of 90% and above. */
  CRITICAL;

  /** The level of an alert raised at {@code threshold}. */
  public static AlertLevel forThreshold(double threshold) {
    if (threshold >= 0.9) {
      return CRITICAL;
    }
    return threshold >= 0.7 ? WARNING : INFO;
  }
}
