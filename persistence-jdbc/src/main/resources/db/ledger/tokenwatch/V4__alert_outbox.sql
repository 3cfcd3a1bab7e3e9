-- The alert outbox (UsageStore.outbox()): each alert a threshold claim raised, once per sink, until it is
-- delivered (the row is deleted) or given up (kept, never due). Inserted in the claim's transaction.
-- Instants as in the ledger: epoch microseconds (_us) plus the nanoseconds beyond them (_ns, 0-999).
CREATE TABLE ${schema}.${prefix}ledger_alert_outbox (
  -- Alert.id() and the sink's name (AlertDelivery.sinkNames())
  alert_id        VARCHAR(200)     NOT NULL,
  sink            VARCHAR(500)     NOT NULL,
  -- the alert as AlertText encodes it (key=value lines, ASCII)
  alert_text      VARCHAR(1000000) NOT NULL,
  -- the alert's timestamp: giveUpAfter counts from here; takers take the oldest first
  queued_us       BIGINT           NOT NULL,
  queued_ns       INTEGER          NOT NULL,
  -- how often it was taken for delivery (the claim counts as the first)
  attempts        INTEGER          NOT NULL,
  -- due again from here: the end of the taker's lease, or of the backoff after a failure
  next_attempt_us BIGINT           NOT NULL,
  next_attempt_ns INTEGER          NOT NULL,
  -- '' before any failure
  last_problem    VARCHAR(10000)   NOT NULL,
  given_up        BOOLEAN          NOT NULL,
  CONSTRAINT ${prefix}ledger_alert_outbox_pk PRIMARY KEY (alert_id, sink)
);

-- Takers look for the rows due now; given up rows (kept for status and doctor) are never due.
CREATE INDEX ${prefix}ledger_alert_outbox_due
  ON ${schema}.${prefix}ledger_alert_outbox (given_up, next_attempt_us);
