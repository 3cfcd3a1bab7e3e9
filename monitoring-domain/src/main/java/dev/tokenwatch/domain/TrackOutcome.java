package dev.tokenwatch.domain;

/** What tracking did with one event. */
public enum TrackOutcome {
  /** Counted for the first time. */
  RECORDED,
  /** Replaced an earlier, smaller record with the same request id; only the difference was added. */
  REPLACED,
  /** Its request id was already counted with a total at least as large: nothing changed. */
  DUPLICATE,
  /** Stamped before the store's retained range: not kept. */
  BEFORE_RETENTION
}
