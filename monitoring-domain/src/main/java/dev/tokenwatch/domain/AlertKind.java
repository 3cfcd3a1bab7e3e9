package dev.tokenwatch.domain;

/** Why an alert was raised. */
public enum AlertKind {
  /** Usage reached a threshold. */
  THRESHOLD,
  /** At the period's rate so far, usage is projected to reach a threshold before the period ends. */
  FORECAST,
  /** A test of the notifiers ({@code tokenwatch doctor --test-alert}): nothing was reached. */
  TEST
}
