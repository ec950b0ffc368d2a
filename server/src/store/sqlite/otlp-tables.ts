import type { Database, Statement } from 'bun:sqlite'
import type {
  GenAiMetricPoint,
  GenAiMetricQuery,
  ParkedContent,
  SpanContent,
  SpanKey,
} from '../types.ts'

interface ContentRow {
  span_rowid: number
  input: string | null
  output: string | null
}

interface ParkedRow {
  trace_id: string
  span_id: string
  seq: number
  body: string
  received_ms: number
}

interface MetricRow {
  metric: string
  series: string
  service: string | null
  operation: string | null
  provider: string | null
  model: string | null
  token_type: string | null
  error_type: string | null
  temporality: number
  start_ms: number
  time_ms: number
  count: number
  sum: number | null
  min: number | null
  max: number | null
  explicit_bounds: string
  bucket_counts: string
}

const METRIC_COLUMNS = [
  'metric',
  'series',
  'service',
  'operation',
  'provider',
  'model',
  'token_type',
  'error_type',
  'temporality',
  'start_ms',
  'time_ms',
  'count',
  'sum',
  'min',
  'max',
  'explicit_bounds',
  'bucket_counts',
] as const

function rowToPoint(row: MetricRow): GenAiMetricPoint {
  return {
    metric: row.metric,
    series: row.series,
    service: row.service,
    operation: row.operation,
    provider: row.provider,
    model: row.model,
    tokenType: row.token_type,
    errorType: row.error_type,
    temporality: row.temporality,
    startMs: row.start_ms,
    timeMs: row.time_ms,
    count: row.count,
    sum: row.sum,
    min: row.min,
    max: row.max,
    explicitBounds: JSON.parse(row.explicit_bounds) as number[],
    bucketCounts: JSON.parse(row.bucket_counts) as number[],
  }
}

/**
 * The tables OTLP ingest adds (migration 2): content parked for spans not yet stored, and GenAI
 * metric points. All writes go through the store's writer connection; reads of content that is
 * about to be rewritten use it too, so they see the latest commit.
 */
export class OtlpTables {
  private readonly contentOf: Statement
  private readonly spanRowid: Statement
  private readonly upsertContent: Statement
  private readonly insertParked: Statement
  private readonly pruneParked: Statement
  private readonly anyParked: Statement
  private readonly parkedOf: Statement
  private readonly deleteParked: Statement
  private readonly insertPoint: Statement

  constructor(
    private readonly writer: Database,
    private readonly reader: Database,
  ) {
    this.contentOf = writer.prepare(
      `SELECT s.rowid AS span_rowid, c.input, c.output FROM spans s
       LEFT JOIN span_contents c ON c.span_rowid = s.rowid
       WHERE s.trace_id = ? AND s.span_id = ?`,
    )
    this.spanRowid = writer.prepare('SELECT rowid FROM spans WHERE trace_id = ? AND span_id = ?')
    this.upsertContent = writer.prepare(
      `INSERT INTO span_contents (span_rowid, input, output) VALUES (?, ?, ?)
       ON CONFLICT (span_rowid) DO UPDATE SET input = excluded.input, output = excluded.output`,
    )
    this.insertParked = writer.prepare(
      'INSERT INTO parked_contents (trace_id, span_id, seq, body, received_ms) VALUES (?, ?, ?, ?, ?)',
    )
    this.pruneParked = writer.prepare('DELETE FROM parked_contents WHERE received_ms < ?')
    this.anyParked = writer.prepare('SELECT EXISTS (SELECT 1 FROM parked_contents) AS any')
    this.parkedOf = writer.prepare(
      'SELECT * FROM parked_contents WHERE trace_id = ? AND span_id = ? ORDER BY rowid',
    )
    this.deleteParked = writer.prepare(
      'DELETE FROM parked_contents WHERE trace_id = ? AND span_id = ?',
    )
    this.insertPoint = writer.prepare(
      `INSERT OR IGNORE INTO genai_metric_points (${METRIC_COLUMNS.join(', ')})
       VALUES (${METRIC_COLUMNS.map(() => '?').join(', ')})`,
    )
  }

  spanContents(keys: readonly SpanKey[]): SpanContent[] {
    const found: SpanContent[] = []
    for (const key of keys) {
      const row = this.contentOf.get(key.traceId, key.spanId) as ContentRow | null
      if (row !== null) found.push({ ...key, input: row.input, output: row.output })
    }
    return found
  }

  writeContents(
    contents: readonly SpanContent[],
    parked: readonly ParkedContent[],
    parkedBeforeMs: number,
  ): void {
    this.writer.transaction(() => {
      for (const content of contents) {
        const row = this.spanRowid.get(content.traceId, content.spanId) as { rowid: number } | null
        if (row !== null) this.upsertContent.run(row.rowid, content.input, content.output)
      }
      for (const piece of parked) {
        this.insertParked.run(piece.traceId, piece.spanId, piece.seq, piece.body, piece.receivedMs)
      }
      this.pruneParked.run(parkedBeforeMs)
    })()
  }

  takeParkedContents(keys: readonly SpanKey[]): ParkedContent[] {
    // Nearly every trace batch finds nothing parked; one indexed probe saves a query per span.
    if ((this.anyParked.get() as { any: number }).any === 0) return []
    const taken: ParkedContent[] = []
    this.writer.transaction(() => {
      for (const key of keys) {
        const rows = this.parkedOf.all(key.traceId, key.spanId) as ParkedRow[]
        if (rows.length === 0) continue
        this.deleteParked.run(key.traceId, key.spanId)
        for (const row of rows) {
          taken.push({ ...key, seq: row.seq, body: row.body, receivedMs: row.received_ms })
        }
      }
    })()
    return taken
  }

  writeGenAiMetricPoints(points: readonly GenAiMetricPoint[]): number {
    let stored = 0
    this.writer.transaction(() => {
      for (const p of points) {
        stored += this.insertPoint.run(
          p.metric,
          p.series,
          p.service,
          p.operation,
          p.provider,
          p.model,
          p.tokenType,
          p.errorType,
          p.temporality,
          p.startMs,
          p.timeMs,
          p.count,
          p.sum,
          p.min,
          p.max,
          JSON.stringify(p.explicitBounds),
          JSON.stringify(p.bucketCounts),
        ).changes
      }
    })()
    return stored
  }

  genAiMetricPoints(query: GenAiMetricQuery): GenAiMetricPoint[] {
    const rows = this.reader
      .query(
        `SELECT * FROM genai_metric_points
         WHERE metric = ?1 AND time_ms >= ?2 AND time_ms < ?3
         UNION ALL
         SELECT p.* FROM genai_metric_points p
         JOIN (SELECT series, start_ms, MAX(time_ms) AS last_ms FROM genai_metric_points
               WHERE metric = ?1 AND temporality = 2 AND time_ms < ?2
               GROUP BY series, start_ms) b
           ON p.metric = ?1 AND p.series = b.series AND p.start_ms = b.start_ms
          AND p.time_ms = b.last_ms
         ORDER BY time_ms`,
      )
      .all(query.metric, query.fromMs, query.toMs) as MetricRow[]
    return rows.map(rowToPoint)
  }
}
