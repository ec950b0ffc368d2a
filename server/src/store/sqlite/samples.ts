import type { Database } from 'bun:sqlite'
import { seededUniform } from '../../analytics/stdlib.ts'
import type {
  CallSample,
  CallSamples,
  SampleQuery,
  ScoreSamples,
  SlowCall,
  SpanFilter,
} from '../types.ts'
import { spanWhere } from './where.ts'

/**
 * Keeps a uniform sample of at most `capacity` items from a stream of unknown length (Vitter's
 * algorithm R): item i replaces a kept one with probability capacity / i, so every item ends up
 * kept with the same probability, in one pass and in bounded memory.
 */
class Reservoir<T> {
  readonly items: T[] = []
  seen = 0

  constructor(
    private readonly capacity: number,
    private readonly uniform: () => number,
  ) {}

  offer(item: T): void {
    this.seen++
    if (this.items.length < this.capacity) {
      this.items.push(item)
      return
    }
    const slot = Math.floor(this.uniform() * this.seen)
    if (slot < this.capacity) this.items[slot] = item
  }
}

/** A uniform sample of the matching calls: a narrow scan, never the whole rows. */
export function callSamples(db: Database, query: SampleQuery): CallSamples {
  const where = spanWhere(query.filter)
  const reservoir = new Reservoir<CallSample>(query.sampleMax, seededUniform(query.seed))
  const statement = db.prepare(
    `SELECT s.duration_ms, s.ttft_ms, s.input_tokens, s.output_tokens, s.cost_usd, s.status,
       s.error_type, s.finish_reason
     FROM spans s WHERE ${where.sql} ORDER BY s.start_ms, s.rowid`,
  )
  try {
    for (const row of statement.iterate(...where.params) as IterableIterator<SampleRow>) {
      reservoir.offer({
        durationMs: row.duration_ms,
        ttftMs: row.ttft_ms,
        inputTokens: row.input_tokens,
        outputTokens: row.output_tokens,
        costUsd: row.cost_usd,
        errorType: row.status === 'error' ? (row.error_type ?? 'unknown') : null,
        finishReason: row.finish_reason,
      })
    }
  } finally {
    statement.finalize()
  }
  return { matched: reservoir.seen, calls: reservoir.items }
}

interface SampleRow {
  duration_ms: number
  ttft_ms: number | null
  input_tokens: number | null
  output_tokens: number | null
  cost_usd: number | null
  status: string
  error_type: string | null
  finish_reason: string | null
}

/**
 * Scores of the matching calls. A score belongs to the span it names or, naming only its trace,
 * to the trace's root span: the same rule as the summary's, so both count the same scores.
 */
export function scoreSamples(db: Database, query: SampleQuery): ScoreSamples {
  const where = spanWhere(query.filter)
  const uniform = seededUniform(query.seed)
  const reservoirs = new Map<string, Reservoir<number>>()
  // Score names and labels are the user's strings: keyed into objects without a prototype, so
  // that a score named `__proto__` is a key like any other and not Object.prototype.
  const labels: ScoreSamples['labels'] = Object.create(null)
  const statement = db.prepare(
    `SELECT sc.name, sc.value, sc.label
     FROM scores sc JOIN spans s ON s.trace_id = sc.trace_id
       AND (s.span_id = sc.span_id OR (sc.span_id IS NULL AND (s.parent_span_id IS NULL
         OR NOT EXISTS (SELECT 1 FROM spans p
           WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id))))
     WHERE ${where.sql} ORDER BY sc.time_ms, sc.rowid`,
  )
  try {
    for (const row of statement.iterate(...where.params) as IterableIterator<ScoreRow>) {
      if (row.value !== null) {
        let reservoir = reservoirs.get(row.name)
        if (reservoir === undefined) {
          reservoir = new Reservoir(query.sampleMax, uniform)
          reservoirs.set(row.name, reservoir)
        }
        reservoir.offer(row.value)
      }
      if (row.label !== null) {
        const counts = labels[row.name] ?? Object.create(null)
        counts[row.label] = (counts[row.label] ?? 0) + 1
        labels[row.name] = counts
      }
    }
  } finally {
    statement.finalize()
  }
  const values: ScoreSamples['values'] = Object.create(null)
  for (const [name, reservoir] of reservoirs) values[name] = reservoir.items
  return { values, labels }
}

interface ScoreRow {
  name: string
  value: number | null
  label: string | null
}

/** The slowest calls at or above a duration, by the (model, start) or time index and a filter. */
export function slowCalls(
  db: Database,
  filter: SpanFilter,
  durationMsMin: number,
  limit: number,
): SlowCall[] {
  const where = spanWhere(filter)
  const rows = db
    .query(
      `SELECT s.trace_id, s.span_id, s.start_ms, s.duration_ms FROM spans s
       WHERE ${where.sql} AND s.duration_ms >= ? ORDER BY s.duration_ms DESC LIMIT ?`,
    )
    .values(...where.params, durationMsMin, limit)
  return rows.map(([traceId, spanId, startMs, durationMs]) => ({
    traceId: traceId as string,
    spanId: spanId as string,
    startMs: startMs as number,
    durationMs: durationMs as number,
  }))
}
