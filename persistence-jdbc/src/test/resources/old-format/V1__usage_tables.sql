-- Usage of token budgets. ${schema} and ${prefix} are validated identifiers (see SqlNames).

-- One id per (budget, period) (model '', the period's own key: models are never blank) and per (budget,
-- period, model). Written once, never updated or deleted (resetPeriod deletes the counters, not the keys),
-- so a store caches the ids. The counters below are keyed by this id alone: H2 keeps a single BIGINT
-- key as the row map itself, so updating a counter rewrites one map (a composite key would be a row map
-- plus a unique index, both rewritten by every update).
CREATE SEQUENCE ${schema}.${prefix}usage_key_seq;

CREATE TABLE ${schema}.${prefix}usage_keys (
  id           BIGINT                   NOT NULL,
  budget       VARCHAR(100)             NOT NULL,
  period_start TIMESTAMP WITH TIME ZONE NOT NULL,
  model        VARCHAR(200)             NOT NULL,
  CONSTRAINT ${prefix}usage_keys_pk PRIMARY KEY (id),
  CONSTRAINT ${prefix}usage_keys_uq UNIQUE (budget, period_start, model)
);

-- The counters, one row per usage_keys row (key_id): for a (budget, period, model) key that model's totals in
-- the period; for a (budget, period) key (model '') the same sums over all models of the period, whose
-- total_tokens is the period's used total. Kept up to date in the transaction that records events (so reports
-- never scan events), moved by the same deltas: one event moves its model's row and its period's row by the
-- same amounts, in one UPDATE. record returns the period row's total from that update (writers of one budget
-- serialise on the period row, so each sees every earlier writer's total); claims lock the period row too, so
-- they never step down.
CREATE TABLE ${schema}.${prefix}usage_counters (
  key_id                BIGINT NOT NULL,
  input_tokens          BIGINT NOT NULL,
  output_tokens         BIGINT NOT NULL,
  cache_creation_tokens BIGINT NOT NULL,
  cache_read_tokens     BIGINT NOT NULL,
  total_tokens          BIGINT NOT NULL,
  calls                 BIGINT NOT NULL,
  CONSTRAINT ${prefix}usage_counters_pk PRIMARY KEY (key_id)
);

-- Orders events for history; a replaced event takes a new value so it moves to its latest write.
CREATE SEQUENCE ${schema}.${prefix}event_seq;

-- Every counted event: the audit trail. A request id is counted once per budget.
CREATE TABLE ${schema}.${prefix}usage_events (
  seq                   BIGINT                   NOT NULL,
  budget                VARCHAR(100)             NOT NULL,
  request_id            VARCHAR(500),
  period_start          TIMESTAMP WITH TIME ZONE NOT NULL,
  model                 VARCHAR(200)             NOT NULL,
  input_tokens          BIGINT                   NOT NULL,
  output_tokens         BIGINT                   NOT NULL,
  cache_creation_tokens BIGINT                   NOT NULL,
  cache_read_tokens     BIGINT                   NOT NULL,
  total_tokens          BIGINT                   NOT NULL,
  -- occurred_at holds the timestamp to the microsecond; occurred_nanos its exact nano-of-second.
  occurred_at           TIMESTAMP WITH TIME ZONE NOT NULL,
  occurred_nanos        INTEGER                  NOT NULL,
  -- Two index structures per row, no more (each one costs H2 a map write and an undo entry per event): the
  -- key seq, which H2 keeps as the row map itself and history walks backwards, and the unique request ids,
  -- whose (budget) prefix also serves resetPeriod, which is rare.
  CONSTRAINT ${prefix}usage_events_pk PRIMARY KEY (seq),
  CONSTRAINT ${prefix}usage_events_request_uq UNIQUE (budget, request_id)
);

-- Claimed alert thresholds; the primary key lets exactly one caller win each.
CREATE TABLE ${schema}.${prefix}threshold_claims (
  budget       VARCHAR(100)             NOT NULL,
  period_start TIMESTAMP WITH TIME ZONE NOT NULL,
  threshold    DOUBLE PRECISION         NOT NULL,
  claimed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT ${prefix}threshold_claims_pk PRIMARY KEY (budget, period_start, threshold)
);
