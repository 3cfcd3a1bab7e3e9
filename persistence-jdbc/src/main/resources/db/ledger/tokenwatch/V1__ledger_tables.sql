-- The usage ledger. ${schema} and ${prefix} are validated identifiers (see SqlNames). Instants are epoch
-- microseconds (ts_us, what indexes and ranges use) plus the nanoseconds beyond them (ts_ns, 0-999).

-- Every counted event, once, whatever budgets it is charged to. A replaced event's row is rewritten with
-- the larger record (its dimensions, its timestamp) and a new id (history orders ties by write order).
-- The sequence cache (placeholder, by dialect): H2 hands out cached values in order across sessions and saves a write per value; on
-- PostgreSQL a cache is per session and would number concurrent writes out of order, so it is empty there.
CREATE SEQUENCE ${schema}.${prefix}ledger_event_seq ${sequenceCache};

CREATE TABLE ${schema}.${prefix}ledger_events (
  id                    BIGINT        NOT NULL,
  request_id            VARCHAR(500),
  ts_us                 BIGINT        NOT NULL,
  ts_ns                 INTEGER       NOT NULL,
  -- floor(epoch seconds / 900): the rollup row the event is summed into
  bucket                BIGINT        NOT NULL,
  model                 VARCHAR(200)  NOT NULL,
  project               VARCHAR(500),
  session               VARCHAR(500),
  -- '' or ',key=value,key=value,' (sorted, values percent-encoded; see TagText): filters are LIKE '%,k=v,%'
  tags                  VARCHAR(4000) NOT NULL,
  input_tokens          BIGINT        NOT NULL,
  output_tokens         BIGINT        NOT NULL,
  cache_creation_tokens BIGINT        NOT NULL,
  cache_read_tokens     BIGINT        NOT NULL,
  total_tokens          BIGINT        NOT NULL,
  CONSTRAINT ${prefix}ledger_events_pk PRIMARY KEY (id),
  -- request ids compared exactly; NULLs (events without id) never conflict
  CONSTRAINT ${prefix}ledger_events_request_uq UNIQUE (request_id)
);

-- Ranges of time (the edges of a report, a window's first figure, retention, reset) and history (latest
-- first, ties by write order) walk this index.
CREATE INDEX ${prefix}ledger_events_ts ON ${schema}.${prefix}ledger_events (ts_us, ts_ns, id);

-- Sums of the events per 15-minute bucket and combination of dimensions, kept in the transaction that
-- records (or replaces, resets, drops) the events. Reports read these for the whole buckets of their
-- range; dims_hi/dims_lo are 128 bits of SHA-256 over the dimensions (DimensionsKey).
CREATE TABLE ${schema}.${prefix}ledger_rollup (
  bucket                BIGINT        NOT NULL,
  dims_hi               BIGINT        NOT NULL,
  dims_lo               BIGINT        NOT NULL,
  model                 VARCHAR(200)  NOT NULL,
  project               VARCHAR(500),
  session               VARCHAR(500),
  tags                  VARCHAR(4000) NOT NULL,
  input_tokens          BIGINT        NOT NULL,
  output_tokens         BIGINT        NOT NULL,
  cache_creation_tokens BIGINT        NOT NULL,
  cache_read_tokens     BIGINT        NOT NULL,
  total_tokens          BIGINT        NOT NULL,
  calls                 BIGINT        NOT NULL,
  CONSTRAINT ${prefix}ledger_rollup_pk PRIMARY KEY (bucket, dims_hi, dims_lo)
);

-- One id per budget window (BudgetWindow.key(), by its SHA-256 in hex), written once and never changed or
-- deleted, so store instances cache the ids; totals and claims are keyed by the id.
CREATE SEQUENCE ${schema}.${prefix}ledger_window_seq;

CREATE TABLE ${schema}.${prefix}ledger_window_keys (
  id       BIGINT      NOT NULL,
  key_hash VARCHAR(64) NOT NULL,
  start_us BIGINT      NOT NULL,
  end_us   BIGINT      NOT NULL,
  CONSTRAINT ${prefix}ledger_window_keys_pk PRIMARY KEY (id),
  CONSTRAINT ${prefix}ledger_window_keys_uq UNIQUE (key_hash)
);

-- The kept totals of a window: created (from the ledger's figure) by the first record that names the
-- window, then moved by x = x + ? in every record naming it. Deleted by a reset of an overlapping period.
CREATE TABLE ${schema}.${prefix}ledger_window_totals (
  window_id             BIGINT NOT NULL,
  input_tokens          BIGINT NOT NULL,
  output_tokens         BIGINT NOT NULL,
  cache_creation_tokens BIGINT NOT NULL,
  cache_read_tokens     BIGINT NOT NULL,
  total_tokens          BIGINT NOT NULL,
  calls                 BIGINT NOT NULL,
  CONSTRAINT ${prefix}ledger_window_totals_pk PRIMARY KEY (window_id)
);

-- Claimed alert thresholds per window; claims of one window serialise on its key row.
CREATE TABLE ${schema}.${prefix}ledger_claims (
  window_id  BIGINT           NOT NULL,
  threshold  DOUBLE PRECISION NOT NULL,
  claimed_us BIGINT           NOT NULL,
  CONSTRAINT ${prefix}ledger_claims_pk PRIMARY KEY (window_id, threshold)
);

-- One row: where the retained ledger begins (NULL: nothing was ever dropped).
CREATE TABLE ${schema}.${prefix}ledger_meta (
  id                INTEGER NOT NULL,
  retained_from_us  BIGINT,
  retained_from_ns  INTEGER,
  CONSTRAINT ${prefix}ledger_meta_pk PRIMARY KEY (id)
);

INSERT INTO ${schema}.${prefix}ledger_meta (id, retained_from_us, retained_from_ns) VALUES (1, NULL, NULL);
