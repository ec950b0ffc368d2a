import type { Database } from 'bun:sqlite'
import type { Metrics } from '@llmlens/spec'
import { distribution, NumberColumn } from '../../analytics/quantiles.ts'
import type {
  ErrorsReport,
  SpanFilter,
  Summary,
  SummaryQuery,
  Timeseries,
  TimeseriesQuery,
} from '../types.ts'
import { rowToSpan, SPAN_SELECT, type SpanRow } from './span-rows.ts'
import { groupColumns, spanWhere } from './where.ts'

type Key = (string | null)[]
type Row = unknown[]

/** Sums and counts SQLite computes in one pass; percentiles come from a second, narrow scan. */
const TOTALS = `COUNT(*), SUM(s.status = 'error'),
  SUM(s.input_tokens), SUM(s.output_tokens), SUM(s.cache_read_tokens), SUM(s.cache_write_tokens),
  SUM(s.reasoning_tokens), SUM(s.cost_usd),
  SUM(s.cost_usd IS NULL AND s.cost_estimated = 1)`
const TOTALS_WIDTH = 9

interface Accumulator {
  key: Key
  totals: Row
  latency: NumberColumn
  ttft: NumberColumn
  errorsByType: Record<string, number>
  scores: Map<string, ScoreTally>
}

interface ScoreTally {
  count: number
  valueCount: number
  valueSum: number
  labels: Record<string, number>
}

function accumulator(key: Key, totals: Row): Accumulator {
  return {
    key,
    totals,
    latency: new NumberColumn(),
    ttft: new NumberColumn(),
    errorsByType: {},
    scores: new Map(),
  }
}

function scoreMetrics(scores: Map<string, ScoreTally>): Metrics['scores'] {
  const out: Metrics['scores'] = {}
  for (const [name, tally] of scores) {
    const mean = tally.valueCount === 0 ? null : tally.valueSum / tally.valueCount
    out[name] = { count: tally.count, mean, labels: tally.labels }
  }
  return out
}

function metrics(acc: Accumulator): Metrics {
  const t = acc.totals.map((value) => (value as number | null) ?? 0)
  const [count, errorCount, input, output, cacheRead, cacheWrite, reasoning, cost, unpriced] =
    t as [number, number, number, number, number, number, number, number, number]
  return {
    count,
    errorCount,
    errorRate: count === 0 ? 0 : errorCount / count,
    latencyMs: distribution(acc.latency),
    ttftMs: distribution(acc.ttft),
    usage: {
      inputTokens: input,
      outputTokens: output,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      reasoningTokens: reasoning,
    },
    costUsd: cost,
    unpricedCount: unpriced,
    errorsByType: acc.errorsByType,
    scores: scoreMetrics(acc.scores),
  }
}

/** Groups of rows whose first `width` columns are the group key. */
class Groups {
  readonly byKey = new Map<string, Accumulator>()

  constructor(private readonly width: number) {}

  get(row: Row): Accumulator | undefined {
    return this.byKey.get(JSON.stringify(row.slice(0, this.width)))
  }

  add(row: Row): void {
    const key = row.slice(0, this.width) as Key
    this.byKey.set(JSON.stringify(key), accumulator(key, row.slice(this.width)))
  }
}

function keyObject(dimensions: readonly string[], key: Key): Record<string, string | null> {
  return Object.fromEntries(dimensions.map((dimension, i) => [dimension, key[i] ?? null]))
}

/** Totals, percentiles, errors and scores of the filtered spans, overall and per group. */
export function summarise(db: Database, query: SummaryQuery): Summary {
  const { filter, groupBy } = query
  const where = spanWhere(filter)
  const columns = groupColumns(groupBy)
  const select = columns.length > 0 ? `${columns.join(', ')}, ` : ''
  const groupSql = columns.length > 0 ? `GROUP BY ${columns.join(', ')}` : ''

  const groups = new Groups(columns.length)
  for (const row of db
    .query(`SELECT ${select}${TOTALS} FROM spans s WHERE ${where.sql} ${groupSql}`)
    .values(...where.params)) {
    if (row[columns.length] === 0) continue
    groups.add(row)
  }
  const total = accumulator([], [0, 0, 0, 0, 0, 0, 0, 0, 0])
  for (const acc of groups.byKey.values()) {
    for (let i = 0; i < TOTALS_WIDTH; i++) {
      total.totals[i] = (total.totals[i] as number) + ((acc.totals[i] as number | null) ?? 0)
    }
  }

  const samples = db.query(
    `SELECT ${select}s.duration_ms, s.ttft_ms FROM spans s WHERE ${where.sql}`,
  )
  for (const row of samples.values(...where.params)) {
    const acc = groups.get(row)
    const latency = row[columns.length] as number
    const ttft = row[columns.length + 1] as number | null
    total.latency.push(latency)
    acc?.latency.push(latency)
    if (ttft !== null) {
      total.ttft.push(ttft)
      acc?.ttft.push(ttft)
    }
  }

  const errorRows = db
    .query(
      `SELECT ${select}s.error_type, COUNT(*) FROM spans s WHERE ${where.sql} AND s.status = 'error' GROUP BY ${[...columns, 's.error_type'].join(', ')}`,
    )
    .values(...where.params)
  for (const row of errorRows) {
    const type = (row[columns.length] as string | null) ?? 'unknown'
    const count = row[columns.length + 1] as number
    total.errorsByType[type] = (total.errorsByType[type] ?? 0) + count
    const acc = groups.get(row)
    if (acc) acc.errorsByType[type] = (acc.errorsByType[type] ?? 0) + count
  }

  addScores(db, filter, columns, groups, total)

  return {
    from: filter.fromMs,
    to: filter.toMs,
    total: metrics(total),
    groups: (groupBy.length === 0 ? [] : [...groups.byKey.values()])
      .map((acc) => ({ key: keyObject(groupBy, acc.key), ...metrics(acc) }))
      .sort((a, b) => b.count - a.count),
    unpricedModels: unpricedModels(db, filter),
  }
}

/**
 * Scores of the filtered spans. A score names its span, or only its trace: then it belongs to
 * the trace's root span, the call the user saw. A root is a span whose parent is not stored, as
 * in a trace; a service called by an uninstrumented gateway has a parent id but no parent here.
 */
function addScores(
  db: Database,
  filter: SpanFilter,
  columns: string[],
  groups: Groups,
  total: Accumulator,
): void {
  const where = spanWhere(filter)
  const select = columns.length > 0 ? `${columns.join(', ')}, ` : ''
  const groupSql = [...columns, 'sc.name', 'sc.label'].join(', ')
  const sql = `SELECT ${select}sc.name, sc.label, COUNT(*), COUNT(sc.value), SUM(sc.value)
    FROM scores sc JOIN spans s ON s.trace_id = sc.trace_id
      AND (s.span_id = sc.span_id OR (sc.span_id IS NULL AND (s.parent_span_id IS NULL
        OR NOT EXISTS (SELECT 1 FROM spans p
          WHERE p.trace_id = s.trace_id AND p.span_id = s.parent_span_id))))
    WHERE ${where.sql} GROUP BY ${groupSql}`
  for (const row of db.query(sql).values(...where.params)) {
    const [name, label, count, valueCount, valueSum] = row.slice(columns.length) as [
      string,
      string | null,
      number,
      number,
      number | null,
    ]
    for (const acc of [total, groups.get(row)]) {
      if (acc === undefined) continue
      let tally = acc.scores.get(name)
      if (tally === undefined) {
        tally = { count: 0, valueCount: 0, valueSum: 0, labels: {} }
        acc.scores.set(name, tally)
      }
      tally.count += count
      tally.valueCount += valueCount
      tally.valueSum += valueSum ?? 0
      if (label !== null) tally.labels[label] = (tally.labels[label] ?? 0) + count
    }
  }
}

function unpricedModels(db: Database, filter: SpanFilter): Summary['unpricedModels'] {
  const where = spanWhere(filter)
  const rows = db
    .query(
      `SELECT s.provider, s.model, COUNT(*) FROM spans s WHERE ${where.sql}
       AND s.cost_usd IS NULL AND s.cost_estimated = 1
       GROUP BY s.provider, s.model ORDER BY COUNT(*) DESC`,
    )
    .values(...where.params)
  return rows.map(([provider, model, count]) => ({
    provider: provider as string | null,
    model: model as string,
    count: count as number,
  }))
}

/** Per-bucket metrics, one series per group. Empty buckets are left out. */
export function timeseries(db: Database, query: TimeseriesQuery): Timeseries {
  const { filter, groupBy, stepMs } = query
  const where = spanWhere(filter)
  const columns = groupColumns(groupBy)
  const bucket = `CAST((s.start_ms - ${Number(filter.fromMs)}) / ${Number(stepMs)} AS INTEGER)`
  const keyColumns = [bucket, ...columns]
  const keySql = keyColumns.join(', ')

  const groups = new Groups(keyColumns.length)
  for (const row of db
    .query(`SELECT ${keySql}, ${TOTALS} FROM spans s WHERE ${where.sql} GROUP BY ${keySql}`)
    .values(...where.params)) {
    groups.add(row)
  }
  for (const row of db
    .query(`SELECT ${keySql}, s.duration_ms, s.ttft_ms FROM spans s WHERE ${where.sql}`)
    .values(...where.params)) {
    const acc = groups.get(row)
    if (acc === undefined) continue
    acc.latency.push(row[keyColumns.length] as number)
    const ttft = row[keyColumns.length + 1] as number | null
    if (ttft !== null) acc.ttft.push(ttft)
  }

  const series = new Map<string, Timeseries['series'][number]>()
  for (const acc of groups.byKey.values()) {
    const [index, ...key] = acc.key
    const seriesKey = JSON.stringify(key)
    let entry = series.get(seriesKey)
    if (entry === undefined) {
      entry = { key: keyObject(groupBy, key), points: [] }
      series.set(seriesKey, entry)
    }
    const m = metrics(acc)
    entry.points.push({
      time: filter.fromMs + Number(index) * stepMs,
      count: m.count,
      errorCount: m.errorCount,
      errorRate: m.errorRate,
      latencyMs: m.latencyMs,
      ttftMs: m.ttftMs,
      usage: m.usage,
      costUsd: m.costUsd,
    })
  }
  for (const entry of series.values()) entry.points.sort((a, b) => a.time - b.time)
  return { from: filter.fromMs, to: filter.toMs, stepMs, series: [...series.values()] }
}

/** Error counts by category and by model, with the most recent failed calls. */
export function errorsReport(db: Database, filter: SpanFilter, recentLimit: number): ErrorsReport {
  const where = spanWhere(filter)
  const [total] = db
    .query(`SELECT COUNT(*) FROM spans s WHERE ${where.sql}`)
    .values(...where.params)
  const byType = db
    .query(
      `SELECT s.error_type, COUNT(*) FROM spans s WHERE ${where.sql} AND s.status = 'error'
       GROUP BY s.error_type ORDER BY COUNT(*) DESC`,
    )
    .values(...where.params)
    .map(([type, count]) => ({
      type: (type as string | null) ?? 'unknown',
      count: count as number,
    }))

  const callsByModel = new Map<string | null, number>()
  for (const [model, count] of db
    .query(`SELECT s.model, COUNT(*) FROM spans s WHERE ${where.sql} GROUP BY s.model`)
    .values(...where.params)) {
    callsByModel.set(model as string | null, count as number)
  }
  const byModel = db
    .query(
      `SELECT s.model, s.error_type, COUNT(*) FROM spans s WHERE ${where.sql} AND s.status = 'error'
       GROUP BY s.model, s.error_type ORDER BY COUNT(*) DESC`,
    )
    .values(...where.params)
    .map(([model, type, count]) => ({
      model: model as string | null,
      type: (type as string | null) ?? 'unknown',
      count: count as number,
      rate: (count as number) / (callsByModel.get(model as string | null) ?? 1),
    }))

  const recent = db
    .query(
      `SELECT ${SPAN_SELECT} FROM spans s WHERE ${where.sql} AND s.status = 'error'
       ORDER BY s.start_ms DESC LIMIT ?`,
    )
    .all(...where.params, recentLimit) as SpanRow[]

  const errorCount = byType.reduce((sum, entry) => sum + entry.count, 0)
  return {
    from: filter.fromMs,
    to: filter.toMs,
    total: (total?.[0] as number | undefined) ?? 0,
    errorCount,
    byType,
    byModel,
    recent: recent.map(rowToSpan),
  }
}
