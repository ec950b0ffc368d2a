import type { Database } from 'bun:sqlite'

/**
 * Schema versions, applied in order at start inside one transaction each; `PRAGMA user_version`
 * records the last applied. Never edit a released migration: add the next one.
 *
 * Prompts and completions live in their own table so that the scans behind every chart read
 * narrow rows (about 200 bytes) instead of rows that carry kilobytes of text.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE spans (
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    parent_span_id TEXT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    start_ms REAL NOT NULL,
    end_ms REAL NOT NULL,
    duration_ms REAL NOT NULL,
    provider TEXT,
    model TEXT,
    model_family TEXT,
    request_model TEXT,
    endpoint TEXT,
    status TEXT NOT NULL,
    error_type TEXT,
    error_message TEXT,
    error_http_status INTEGER,
    error_raw_type TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cache_read_tokens INTEGER,
    cache_write_tokens INTEGER,
    reasoning_tokens INTEGER,
    cost_usd REAL,
    cost_estimated INTEGER NOT NULL,
    ttft_ms REAL,
    finish_reason TEXT,
    user_id TEXT,
    session_id TEXT,
    environment TEXT,
    release TEXT,
    tags TEXT,
    metadata TEXT
  );
  CREATE UNIQUE INDEX spans_by_id ON spans (trace_id, span_id);
  CREATE INDEX spans_by_time ON spans (start_ms);
  CREATE INDEX spans_by_model_time ON spans (model, start_ms);
  CREATE INDEX spans_by_endpoint_time ON spans (endpoint, start_ms);
  CREATE INDEX spans_errors_by_time ON spans (start_ms) WHERE status = 'error';
  CREATE TABLE span_contents (
    span_rowid INTEGER PRIMARY KEY,
    input TEXT,
    output TEXT
  );
  CREATE TABLE scores (
    id TEXT PRIMARY KEY,
    trace_id TEXT NOT NULL,
    span_id TEXT,
    name TEXT NOT NULL,
    value REAL,
    label TEXT,
    source TEXT NOT NULL,
    comment TEXT,
    time_ms REAL NOT NULL
  );
  CREATE INDEX scores_by_trace ON scores (trace_id, span_id);
  CREATE INDEX scores_by_time ON scores (time_ms);
  `,
  // 2: OTLP. Content events that arrive before their span wait in parked_contents; the GenAI
  // histograms of apps that send only metrics live in genai_metric_points, one row per exported
  // data point, unique on (metric, series, start, time) so that a resent export is a no-op.
  `
  CREATE TABLE parked_contents (
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    received_ms REAL NOT NULL
  );
  CREATE INDEX parked_contents_by_span ON parked_contents (trace_id, span_id);
  CREATE INDEX parked_contents_by_time ON parked_contents (received_ms);
  CREATE TABLE genai_metric_points (
    metric TEXT NOT NULL,
    series TEXT NOT NULL,
    service TEXT,
    operation TEXT,
    provider TEXT,
    model TEXT,
    token_type TEXT,
    error_type TEXT,
    temporality INTEGER NOT NULL,
    start_ms REAL NOT NULL,
    time_ms REAL NOT NULL,
    count INTEGER NOT NULL,
    sum REAL,
    min REAL,
    max REAL,
    explicit_bounds TEXT NOT NULL,
    bucket_counts TEXT NOT NULL
  );
  CREATE UNIQUE INDEX genai_metric_points_by_id
    ON genai_metric_points (metric, series, start_ms, time_ms);
  CREATE INDEX genai_metric_points_by_time ON genai_metric_points (metric, time_ms);
  `,
  // 3: per-minute and per-hour rollups of spans (rollups.ts), keyed by bucket start and the
  // JSON array of the dimension columns. The watermark starts at 0, so the store folds every
  // span already stored into them when it opens.
  `
  CREATE TABLE rollups_minute (
    bucket_ms INTEGER NOT NULL,
    dims TEXT NOT NULL,
    kind TEXT, provider TEXT, model TEXT, model_family TEXT, endpoint TEXT,
    environment TEXT, release TEXT, status TEXT, error_type TEXT,
    count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    unpriced_count INTEGER NOT NULL,
    latency_sum REAL NOT NULL,
    latency_max REAL NOT NULL,
    latency_bins BLOB NOT NULL,
    ttft_count INTEGER NOT NULL,
    ttft_sum REAL NOT NULL,
    ttft_max REAL NOT NULL,
    ttft_bins BLOB NOT NULL,
    PRIMARY KEY (bucket_ms, dims)
  ) WITHOUT ROWID;
  CREATE TABLE rollups_hour (
    bucket_ms INTEGER NOT NULL,
    dims TEXT NOT NULL,
    kind TEXT, provider TEXT, model TEXT, model_family TEXT, endpoint TEXT,
    environment TEXT, release TEXT, status TEXT, error_type TEXT,
    count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cache_read_tokens INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    reasoning_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    unpriced_count INTEGER NOT NULL,
    latency_sum REAL NOT NULL,
    latency_max REAL NOT NULL,
    latency_bins BLOB NOT NULL,
    ttft_count INTEGER NOT NULL,
    ttft_sum REAL NOT NULL,
    ttft_max REAL NOT NULL,
    ttft_bins BLOB NOT NULL,
    PRIMARY KEY (bucket_ms, dims)
  ) WITHOUT ROWID;
  CREATE TABLE rollup_state (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    span_rowid INTEGER NOT NULL
  );
  INSERT INTO rollup_state (id, span_rowid) VALUES (0, 0);
  `,
  // 4: alerts. Rules created through the API (the alerts file's rules are read at start and
  // never stored), and the history of every firing and resolving, newest read first. IF NOT
  // EXISTS because a database rolled back to an earlier version may still hold these tables.
  `
  CREATE TABLE IF NOT EXISTS alert_rules (
    id TEXT PRIMARY KEY,
    rule TEXT NOT NULL,
    created_ms REAL NOT NULL
  );
  CREATE TABLE IF NOT EXISTS alert_events (
    id INTEGER PRIMARY KEY,
    rule_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    state TEXT NOT NULL,
    time_ms REAL NOT NULL,
    metric TEXT NOT NULL,
    value REAL,
    condition TEXT NOT NULL,
    key TEXT,
    message TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS alert_events_by_time ON alert_events (time_ms);
  CREATE INDEX IF NOT EXISTS alert_events_by_rule ON alert_events (rule_id, id);
  `,
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** Brings the database up to SCHEMA_VERSION; refuses a database from a newer llmlens. */
export function migrate(db: Database): { from: number; to: number } {
  const row = db.query('PRAGMA user_version').get() as { user_version: number }
  const from = row.user_version
  if (from > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${from} is newer than this llmlens understands ` +
        `(${SCHEMA_VERSION}); upgrade llmlens or point LLMLENS_DB at another file`,
    )
  }
  for (let version = from; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string)
      db.exec(`PRAGMA user_version = ${version + 1}`)
    })()
  }
  return { from, to: SCHEMA_VERSION }
}
