import type { Database, Statement } from 'bun:sqlite'
import { QuantileSketch } from '../../analytics/sketch.ts'
import type { StoredSpan } from '../types.ts'

/**
 * Per-minute and per-hour aggregates of spans, so that a summary or a time series over a day of
 * a million spans reads a few thousand rows instead of a million. Two levels because merging
 * sketches is the cost: a day is 24 hour rows per group, and only the ragged ends of a range
 * come from minute rows (at most 118 per group).
 *
 * Rollups are derived data, kept apart from the write that acknowledges spans: updating them in
 * every ingest transaction halved store.write's throughput (a batch of 1,000 spans touches ~600
 * rollup rows). Instead new spans queue in memory and are folded in at most a second later, in
 * one transaction with a watermark (the last span rowid folded in). A crash loses only the queue;
 * on open, the spans past the watermark are folded in again. Reads fold the queue in first, so
 * they always see every acknowledged span.
 */
export const ROLLUP_LEVELS = [
  { table: 'rollups_minute', widthMs: 60_000 },
  { table: 'rollups_hour', widthMs: 3_600_000 },
] as const
export type RollupLevel = (typeof ROLLUP_LEVELS)[number]

/**
 * The span columns a rollup row is keyed by, in key order. Filters and groupings on these (and
 * only these) can be answered from rollups; users, sessions and tags have too many values.
 */
export const ROLLUP_DIMENSION_COLUMNS = [
  'kind',
  'provider',
  'model',
  'model_family',
  'endpoint',
  'environment',
  'release',
  'status',
  'error_type',
] as const

/** The measures of a rollup row after its key, in table order (migration 3 makes the tables). */
const MEASURE_COLUMNS = [
  'count',
  'error_count',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'unpriced_count',
  'latency_sum',
  'latency_max',
  'latency_bins',
  'ttft_count',
  'ttft_sum',
  'ttft_max',
  'ttft_bins',
] as const

/** What a rollup needs of a span: its rowid, key and start, and what gets summed. */
export interface RollupInput {
  rowid: number
  startMs: number
  dims: (string | null)[]
  durationMs: number
  ttftMs: number | null
  error: boolean
  tokens: [number, number, number, number, number]
  costUsd: number
  unpriced: boolean
}

export function rollupInputOf(span: StoredSpan, rowid: number): RollupInput {
  const u = span.usage
  return {
    rowid,
    startMs: span.startTime,
    dims: [
      span.kind,
      span.provider,
      span.model,
      span.modelFamily,
      span.endpoint,
      span.environment,
      span.release,
      span.status,
      span.error?.type ?? null,
    ],
    durationMs: span.durationMs,
    ttftMs: span.timeToFirstTokenMs,
    error: span.status === 'error',
    tokens: [
      u.inputTokens ?? 0,
      u.outputTokens ?? 0,
      u.cacheReadTokens ?? 0,
      u.cacheWriteTokens ?? 0,
      u.reasoningTokens ?? 0,
    ],
    costUsd: span.costUsd ?? 0,
    unpriced: span.costUsd === null && span.costEstimated,
  }
}

/** One rollup row being built: the sums of a bucket and key, and its two sketches. */
export interface RollupCell {
  bucketMs: number
  dims: (string | null)[]
  /** count, error_count, five token sums, cost_usd, unpriced_count. */
  sums: number[]
  latency: QuantileSketch
  ttft: QuantileSketch
}

export const CELL_SUMS_WIDTH = 9

function emptyCell(bucketMs: number, dims: (string | null)[]): RollupCell {
  return {
    bucketMs,
    dims,
    sums: new Array(CELL_SUMS_WIDTH).fill(0),
    latency: QuantileSketch.empty(),
    ttft: QuantileSketch.empty(),
  }
}

function addInput(cell: RollupCell, input: RollupInput): void {
  const sums = cell.sums
  sums[0] = (sums[0] as number) + 1
  if (input.error) sums[1] = (sums[1] as number) + 1
  for (let i = 0; i < 5; i++) sums[2 + i] = (sums[2 + i] as number) + (input.tokens[i] as number)
  sums[7] = (sums[7] as number) + input.costUsd
  if (input.unpriced) sums[8] = (sums[8] as number) + 1
  cell.latency.push(input.durationMs)
  if (input.ttftMs !== null) cell.ttft.push(input.ttftMs)
}

/** Merges a stored row's sketches (measures in MEASURE_COLUMNS order) into two sketches. */
export function mergeMeasures(latency: QuantileSketch, ttft: QuantileSketch, m: unknown[]): void {
  const n = (i: number) => m[i] as number
  latency.mergeEncoded(m[11] as Uint8Array, n(0), n(9), n(10))
  ttft.mergeEncoded(m[15] as Uint8Array, n(12), n(13), n(14))
}

export const MEASURES_SQL = MEASURE_COLUMNS.join(', ')

/** Limits of the queue of spans waiting to be folded into the rollups. */
export const ROLLUP_QUEUE = {
  /** How long a span waits at most; reads never wait, they fold the queue in first. */
  flushIntervalMs: 1_000,
  /**
   * Past this many queued spans, the write that adds them folds them in: it bounds the queue's
   * memory (~200 bytes a span) when writes come faster than the timer.
   */
  spansMax: 20_000,
  /** Spans read per slice when catching up on open. */
  catchUpSliceSpans: 10_000,
}

/** Keeps both rollup levels up to date from spans committed by the store. */
export class Rollups {
  private readonly select: Statement[]
  private readonly upsert: Statement[]
  private readonly saveWatermark: Statement
  private queue: RollupInput[] = []
  private readonly timer: ReturnType<typeof setInterval>

  constructor(private readonly db: Database) {
    const columns = ['bucket_ms', 'dims', ...ROLLUP_DIMENSION_COLUMNS, ...MEASURE_COLUMNS]
    const placeholders = columns.map(() => '?').join(', ')
    this.select = ROLLUP_LEVELS.map(({ table }) =>
      db.prepare(`SELECT ${MEASURES_SQL} FROM ${table} WHERE bucket_ms = ? AND dims = ?`),
    )
    this.upsert = ROLLUP_LEVELS.map(({ table }) =>
      db.prepare(
        `INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES (${placeholders})`,
      ),
    )
    this.saveWatermark = db.prepare('UPDATE rollup_state SET span_rowid = ? WHERE id = 0')
    this.catchUp()
    this.timer = setInterval(() => this.flush(), ROLLUP_QUEUE.flushIntervalMs)
    this.timer.unref?.()
  }

  /** Queues spans just committed (each with its rowid); never resends. */
  enqueue(inputs: readonly RollupInput[]): void {
    if (inputs.length === 0) return
    for (const input of inputs) this.queue.push(input)
    if (this.queue.length >= ROLLUP_QUEUE.spansMax) this.flush()
  }

  /**
   * Folds the queue into the rollups, with the watermark, in one transaction. Spans at or below
   * the stored watermark are already in: another store on the same file caught up past them.
   */
  flush(): void {
    if (this.queue.length === 0) return
    const queued = this.queue
    this.db.transaction(() => {
      const watermark = this.watermark()
      const inputs = queued.filter((input) => input.rowid > watermark)
      this.add(inputs)
      const rowidMax = inputs.reduce((max, input) => Math.max(max, input.rowid), watermark)
      this.saveWatermark.run(rowidMax)
    })()
    this.queue = []
  }

  private watermark(): number {
    const state = this.db.query('SELECT span_rowid FROM rollup_state WHERE id = 0').get() as {
      span_rowid: number
    }
    return state.span_rowid
  }

  /** Folds in the spans past the watermark: the queue a crash lost, or a whole new table. */
  private catchUp(): void {
    const slice = this.db.prepare(
      `SELECT rowid, start_ms, ${ROLLUP_DIMENSION_COLUMNS.join(', ')}, duration_ms, ttft_ms,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens,
         cost_usd, cost_estimated
       FROM spans WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    )
    let watermark = this.watermark()
    for (;;) {
      const rows = slice.all(watermark, ROLLUP_QUEUE.catchUpSliceSpans) as SpanRollupRow[]
      if (rows.length === 0) break
      watermark = rows[rows.length - 1]?.rowid as number
      this.db.transaction(() => {
        this.add(rows.map(rollupInputOfRow))
        this.saveWatermark.run(watermark)
      })()
    }
    slice.finalize()
  }

  close(): void {
    clearInterval(this.timer)
    this.flush()
  }

  private add(inputs: readonly RollupInput[]): void {
    ROLLUP_LEVELS.forEach((level, i) => {
      const cells = new Map<string, RollupCell>()
      for (const input of inputs) {
        const bucketMs = Math.floor(input.startMs / level.widthMs) * level.widthMs
        const id = `${bucketMs}|${JSON.stringify(input.dims)}`
        let cell = cells.get(id)
        if (cell === undefined) {
          cell = emptyCell(bucketMs, input.dims)
          cells.set(id, cell)
        }
        addInput(cell, input)
      }
      for (const cell of cells.values()) this.save(i, cell)
    })
  }

  private save(level: number, cell: RollupCell): void {
    const dims = JSON.stringify(cell.dims)
    const stored = (this.select[level] as Statement).values(cell.bucketMs, dims)[0]
    if (stored !== undefined) {
      for (let i = 0; i < CELL_SUMS_WIDTH; i++) {
        cell.sums[i] = (cell.sums[i] as number) + (stored[i] as number)
      }
      mergeMeasures(cell.latency, cell.ttft, stored)
    }
    const { latency, ttft } = cell
    ;(this.upsert[level] as Statement).run(
      cell.bucketMs,
      dims,
      ...cell.dims,
      ...cell.sums,
      latency.sum,
      latency.count === 0 ? 0 : latency.max,
      latency.encode(),
      ttft.count,
      ttft.sum,
      ttft.count === 0 ? 0 : ttft.max,
      ttft.encode(),
    )
  }
}

/**
 * Deletes rollup rows that lie wholly before the cutoff, at most `rowsMax`. A bucket the cutoff
 * cuts through stays until a later sweep passes its end, so retention is exact for spans and at
 * most one bucket late for rollups.
 */
export function deleteRollupsBefore(db: Database, cutoffMs: number, rowsMax: number): number {
  let deleted = 0
  for (const { table, widthMs } of ROLLUP_LEVELS) {
    if (deleted >= rowsMax) break
    deleted += db.run(
      `DELETE FROM ${table} WHERE (bucket_ms, dims) IN
         (SELECT bucket_ms, dims FROM ${table} WHERE bucket_ms + ? <= ? LIMIT ?)`,
      [widthMs, cutoffMs, rowsMax - deleted],
    ).changes
  }
  return deleted
}

type SpanRollupRow = Record<string, number | string | null> & { rowid: number }

function rollupInputOfRow(row: SpanRollupRow): RollupInput {
  const num = (column: string) => (row[column] as number | null) ?? 0
  return {
    rowid: row.rowid,
    startMs: row.start_ms as number,
    dims: ROLLUP_DIMENSION_COLUMNS.map((column) => row[column] as string | null),
    durationMs: row.duration_ms as number,
    ttftMs: row.ttft_ms as number | null,
    error: row.status === 'error',
    tokens: [
      num('input_tokens'),
      num('output_tokens'),
      num('cache_read_tokens'),
      num('cache_write_tokens'),
      num('reasoning_tokens'),
    ],
    costUsd: num('cost_usd'),
    unpriced: row.cost_usd === null && row.cost_estimated === 1,
  }
}
