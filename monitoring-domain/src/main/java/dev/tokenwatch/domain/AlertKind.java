package dev.tokenwatch.domain;

/** Why an alert was raised. */
public enum AlertKind {
  /** Usage reached a threshold. */
  THRESHOLD,
  /** At the period's rate so far, usage is projected to reach a threshold before the period ends. */
  FORECAST
}
