-- Cost with every event, cost sums beside the token sums, and each window's scope with its key (so that
-- every record charges every kept window, named or not). Databases of V1 hold events without cost.

-- Nano-dollars (10^-9 USD); NULL: not known (every event of V1). Sums count such events as unpriced.
ALTER TABLE ${schema}.${prefix}ledger_events ADD COLUMN cost_nano_usd BIGINT;

-- Rollups and window totals: the cost of the priced calls, and the calls (and their total tokens)
-- without a cost. Existing rows sum events without cost: all their calls are unpriced.
ALTER TABLE ${schema}.${prefix}ledger_rollup ADD COLUMN cost_nano_usd BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE ${schema}.${prefix}ledger_rollup ADD COLUMN unpriced_calls BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE ${schema}.${prefix}ledger_rollup ADD COLUMN unpriced_tokens BIGINT DEFAULT 0 NOT NULL;
UPDATE ${schema}.${prefix}ledger_rollup SET unpriced_calls = calls, unpriced_tokens = total_tokens;

ALTER TABLE ${schema}.${prefix}ledger_window_totals ADD COLUMN cost_nano_usd BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE ${schema}.${prefix}ledger_window_totals ADD COLUMN unpriced_calls BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE ${schema}.${prefix}ledger_window_totals ADD COLUMN unpriced_tokens BIGINT DEFAULT 0 NOT NULL;
UPDATE ${schema}.${prefix}ledger_window_totals SET unpriced_calls = calls, unpriced_tokens = total_tokens;

-- The window's scope (UsageFilter.canonical()) and the nanoseconds of its start and end beyond start_us
-- (floor) and end_us (rounded up), so a record can rebuild the window exactly. NULL scope: a window kept
-- by V1, whose scope was not recorded; it is not charged by records that do not name it, and its totals
-- are derived from the ledger again the first time this version names it (WindowIds).
ALTER TABLE ${schema}.${prefix}ledger_window_keys ADD COLUMN scope VARCHAR(100000);
ALTER TABLE ${schema}.${prefix}ledger_window_keys ADD COLUMN start_ns INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE ${schema}.${prefix}ledger_window_keys ADD COLUMN end_ns INTEGER DEFAULT 0 NOT NULL;

-- A record looks up the kept windows that end after its earliest event.
CREATE INDEX ${prefix}ledger_window_keys_end ON ${schema}.${prefix}ledger_window_keys (end_us);

-- Bumped by every transaction that starts keeping a window: instances cache the kept windows and
-- check this in the transaction that relies on the cache.
ALTER TABLE ${schema}.${prefix}ledger_meta ADD COLUMN windows_version BIGINT DEFAULT 0 NOT NULL;
