-- Reservations of hard budgets (UsageStore.reserve): what each open reservation holds in each window.
-- Not durable by design (they matter only while the reserving process lives) but shared by every
-- process at once. Instants are epoch nanoseconds (clamped to the BIGINT range, years 1677-2262).

-- One row per reservation, also one holding nothing (so that its commit or release is told apart from
-- that of an unknown id). Deleting it deletes its holds (commit, release, expiry).
CREATE TABLE ${schema}.${prefix}ledger_reservations (
  id         VARCHAR(64) NOT NULL,
  expires_ns BIGINT      NOT NULL,
  CONSTRAINT ${prefix}ledger_reservations_pk PRIMARY KEY (id)
);

-- Expired reservations are deleted by the next reserve (on any window).
CREATE INDEX ${prefix}ledger_reservations_expiry ON ${schema}.${prefix}ledger_reservations (expires_ns);

-- What a reservation holds in one window (ledger_window_keys.id), in its budget's unit (TOKENS: tokens,
-- USD: nano-dollars); expires_ns repeats the reservation's, so that a window's open amount is read from
-- this table's index alone.
CREATE TABLE ${schema}.${prefix}ledger_reservation_holds (
  reservation_id VARCHAR(64) NOT NULL,
  window_id      BIGINT      NOT NULL,
  unit           VARCHAR(16) NOT NULL,
  amount         BIGINT      NOT NULL,
  expires_ns     BIGINT      NOT NULL,
  CONSTRAINT ${prefix}ledger_reservation_holds_pk PRIMARY KEY (reservation_id, window_id),
  CONSTRAINT ${prefix}ledger_reservation_holds_fk FOREIGN KEY (reservation_id)
    REFERENCES ${schema}.${prefix}ledger_reservations (id) ON DELETE CASCADE
);

-- A reserve sums the open holds of the windows it locked: by window, unit and expiry.
CREATE INDEX ${prefix}ledger_reservation_holds_window
  ON ${schema}.${prefix}ledger_reservation_holds (window_id, unit, expires_ns);
