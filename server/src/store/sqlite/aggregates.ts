import type { Database } from 'bun:sqlite'
import type { Metrics } from '@llmlens/spec'
import { distribution, NumberColumn } from '../../analytics/quantiles.ts'
import { QuantileSketch } from '../../analytics/sketch.ts'
import type {
  ErrorsReport,
  GroupDimension,
  SpanFilter,
  Summary,
  SummaryQuery,
  Timeseries,
  TimeseriesQuery,
} from '../types.ts'
import {
  type ReadPlan,
  type RollupWindow,
  rollupCount,
  rollupRows,
  rollupsCanAnswer,
  rollupUnpriced,
  summaryPlan,
  timeseriesPlan,
} from './rollup-reads.ts'
import { CELL_SUMS_WIDTH, mergeMeasures } from './rollups.ts'
import { rowToSpan, SPAN_SELECT, type SpanRow } from './span-rows.ts'
import { groupColumns, spanWhere } from './where.ts'

type Key = (string | null)[]
type Row = unknown[]

/** Sums and counts SQLite computes in one pass; percentiles come from a second, narrow scan. */
const TOTALS = `COUNT(*), SUM(s.status = 'error'),
  SUM(s.input_tokens), SUM(s.output_tokens), SUM(s.cache_read_tokens), SUM(s.cache_write_tokens),
  SUM(s.reasoning_tokens), SUM(s.cost_usd),
  SUM(s.cost_usd IS NULL AND s.cost_estimated = 1)`
/** TOTALS and a rollup cell's sums share one layout. */
const TOTALS_WIDTH = CELL_SUMS_WIDTH

/** Latencies of a group: every value for exact percentiles, or a sketch when read from rollups. */
type Values = NumberColumn | QuantileSketch

const valuesDistribution = (values: Values) =>
  values instanceof QuantileSketch ? values.distribution() : distribution(values)

interface Tally {
  key: Key
  totals: number[]
  latency: Values
  ttft: Values
  errorsByType: Record<string, number>
  scores: Map<string, ScoreTally>
}

interface ScoreTally {
  count: number
  valueCount: number
  valueSum: number
  labels: Record<string, number>
}

/**
 * The tallies of a read: one per group key, and the total over all of them. A read from
 * rollups keeps sketches, into which the exactly read ends of its range are pushed too.
 */
class Tallies {
  /** Insertion-ordered, for the reply. */
  readonly all: Tally[] = []
  readonly total: Tally
  /**
   * Tallies by key, one Map level per key column: a sample scan looks up a tally per span, and
   * nested lookups cost a fraction of building a string key for each of 150,000 rows.
   */
  private readonly index = new Map<unknown, unknown>()

  constructor(
    private readonly width: number,
    readonly sketched: boolean,
  ) {
    this.total = this.tally([])
  }

  private tally(key: Key): Tally {
    const values = () => (this.sketched ? QuantileSketch.empty() : new NumberColumn())
    return {
      key,
      totals: new Array(TOTALS_WIDTH).fill(0),
      latency: values(),
      ttft: values(),
      errorsByType: {},
      scores: new Map(),
    }
  }

  /** The tally of a row whose first `width` columns are its group key; made on first use. */
  of(row: Row): Tally {
    let level = this.index
    for (let i = 0; i < this.width - 1; i++) {
      let next = level.get(row[i]) as Map<unknown, unknown> | undefined
      if (next === undefined) {
        next = new Map()
        level.set(row[i], next)
      }
      level = next
    }
    if (this.width === 0) return this.ofEmptyKey()
    let tally = level.get(row[this.width - 1]) as Tally | undefined
    if (tally === undefined) {
      tally = this.tally(row.slice(0, this.width) as Key)
      level.set(row[this.width - 1], tally)
      this.all.push(tally)
    }
    return tally
  }

  /** Only existing tallies: scores and samples never make a group of their own. */
  existing(row: Row): Tally | undefined {
    if (this.width === 0) return this.all[0]
    let level: unknown = this.index
    for (let i = 0; i < this.width && level !== undefined; i++) {
      level = (level as Map<unknown, unknown>).get(row[i])
    }
    return level as Tally | undefined
  }

  private ofEmptyKey(): Tally {
    if (this.all[0] === undefined) this.all.push(this.tally([]))
    return this.all[0] as Tally
  }

  addTotals(tally: Tally, totals: Row, withTotal: boolean): void {
    for (const target of withTotal ? [tally, this.total] : [tally]) {
      for (let i = 0; i < TOTALS_WIDTH; i++) {
        target.totals[i] = (target.totals[i] as number) + ((totals[i] as number | null) ?? 0)
      }
    }
  }

  addError(tally: Tally | undefined, type: string | null, count: number, withTotal: boolean) {
    const name = type ?? 'unknown'
    for (const target of withTotal ? [tally, this.total] : [tally]) {
      if (target) target.errorsByType[name] = (target.errorsByType[name] ?? 0) + count
    }
  }
}

function scoreMetrics(scores: Map<string, ScoreTally>): Metrics['scores'] {
  // Score names and labels are the user's strings; objects without a prototype keep `__proto__`
  // a plain key.
  const out: Metrics['scores'] = Object.create(null)
  for (const [name, tally] of scores) {
    const mean = tally.valueCount === 0 ? null : tally.valueSum / tally.valueCount
    out[name] = { count: tally.count, mean, labels: tally.labels }
  }
  return out
}

function metrics(tally: Tally): Metrics {
  const [count, errorCount, input, output, cacheRead, cacheWrite, reasoning, cost, unpriced] =
    tally.totals as [number, number, number, number, number, number, number, number, number]
  return {
    count,
    errorCount,
    errorRate: count === 0 ? 0 : errorCount / count,
    latencyMs: valuesDistribution(tally.latency),
    ttftMs: valuesDistribution(tally.ttft),
    usage: {
      inputTokens: input,
      outputTokens: output,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      reasoningTokens: reasoning,
    },
    costUsd: cost,
    unpricedCount: unpriced,
    errorsByType: tally.errorsByType,
    scores: scoreMetrics(tally.scores),
  }
}

function keyObject(dimensions: readonly string[], key: Key): Record<string, string | null> {
  return Object.fromEntries(dimensions.map((dimension, i) => [dimension, key[i] ?? null]))
}

export interface AggregateOptions {
  /**
   * Up to this many spans in range, percentiles are exact, read from every span; beyond it
   * they come from the rollups' sketches (1% relative accuracy) and cost the same at any size.
   * 20,000 spans read exactly in ~90 ms on the development machine (bench/: summary).
   */
  exactSpansMax: number
}

export const AGGREGATE_DEFAULTS: AggregateOptions = { exactSpansMax: 20_000 }

/** The plan of a read, or null when only an exact read of every span will do. */
function planRead(
  db: Database,
  filter: SpanFilter,
  groupBy: readonly GroupDimension[],
  plan: ReadPlan | null,
  options: AggregateOptions,
): ReadPlan | null {
  if (plan === null || plan.rollups.length === 0 || !rollupsCanAnswer(filter, groupBy)) return null
  const { spans, rows } = rollupCount(db, filter, plan.rollups)
  if (spans <= options.exactSpansMax) return null
  // Rollups pay only where they hold several spans a row: an exact read costs 4-5 µs a span and
  // a rollup row 5-10 µs (a summary and a per-minute series over a day of bench/'s million-span
  // store), and a busy key space (every model, endpoint, release and error type in each minute)
  // can leave barely 1.5 spans a minute row.
  return rows * ROLLUP_ROW_COST_US < spans * EXACT_SPAN_COST_US ? plan : null
}

const EXACT_SPAN_COST_US = 4.8
const ROLLUP_ROW_COST_US = 10

/**
 * Adds the spans of `filter` to the tallies, keyed by `keyColumns`: totals, latencies and
 * errors. `withTotal` also counts them in the overall tally.
 */
function addSpans(
  db: Database,
  filter: SpanFilter,
  keyColumns: readonly string[],
  tallies: Tallies,
  withTotal: boolean,
): void {
  const where = spanWhere(filter)
  const keySql = keyColumns.join(', ')
  const select = keyColumns.length > 0 ? `${keySql}, ` : ''
  const groupSql = keyColumns.length > 0 ? `GROUP BY ${keySql}` : ''
  const width = keyColumns.length

  for (const row of db
    .query(`SELECT ${select}${TOTALS} FROM spans s WHERE ${where.sql} ${groupSql}`)
    .values(...where.params)) {
    if (row[width] === 0) continue
    tallies.addTotals(tallies.of(row), row.slice(width), withTotal)
  }

  const samples = db.query(
    `SELECT ${select}s.duration_ms, s.ttft_ms FROM spans s WHERE ${where.sql}`,
  )
  for (const row of samples.values(...where.params)) {
    const tally = tallies.existing(row)
    const latency = row[width] as number
    const ttft = row[width + 1] as number | null
    // A sketched total is merged from its groups at the end: one merge per group, not per span.
    const toTotal = withTotal && !tallies.sketched
    tally?.latency.push(latency)
    if (toTotal) tallies.total.latency.push(latency)
    if (ttft === null) continue
    tally?.ttft.push(ttft)
    if (toTotal) tallies.total.ttft.push(ttft)
  }

  const errorRows = db
    .query(
      `SELECT ${select}s.error_type, COUNT(*) FROM spans s WHERE ${where.sql} AND s.status = 'error'
       GROUP BY ${[...keyColumns, 's.error_type'].join(', ')}`,
    )
    .values(...where.params)
  for (const row of errorRows) {
    const type = row[width] as string | null
    tallies.addError(tallies.existing(row), type, row[width + 1] as number, withTotal)
  }
}

/**
 * Adds a rollup window's rows to the tallies, keyed by `keyColumns` over the rollup row. Their
 * sketches go to the groups only; `mergeGroupSketches` makes the total's from them.
 */
function addRollups(
  db: Database,
  filter: SpanFilter,
  window: RollupWindow,
  keyColumns: readonly string[],
  tallies: Tallies,
  withTotal: boolean,
): void {
  for (const { key, errorType, measures } of rollupRows(db, filter, window, keyColumns)) {
    const count = measures[0] as number
    if (count === 0) continue
    const tally = tallies.of(key)
    tallies.addTotals(tally, measures, withTotal)
    mergeMeasures(tally.latency as QuantileSketch, tally.ttft as QuantileSketch, measures)
    const errors = measures[1] as number
    if (errors > 0) tallies.addError(tally, errorType, errors, withTotal)
  }
}

function mergeGroupSketches(tallies: Tallies): void {
  const { latency, ttft } = tallies.total as { latency: QuantileSketch; ttft: QuantileSketch }
  for (const tally of tallies.all) {
    latency.merge(tally.latency as QuantileSketch)
    ttft.merge(tally.ttft as QuantileSketch)
  }
}

/** Totals, percentiles, errors and scores of the filtered spans, overall and per group. */
export function summarise(
  db: Database,
  query: SummaryQuery,
  options: AggregateOptions = AGGREGATE_DEFAULTS,
): Summary {
  const { filter, groupBy } = query
  const columns = groupColumns(groupBy)
  const plan = planRead(db, filter, groupBy, summaryPlan(filter.fromMs, filter.toMs), options)
  const tallies = new Tallies(columns.length, plan !== null)

  if (plan === null) addSpans(db, filter, columns, tallies, true)
  else {
    for (const [fromMs, toMs] of plan.exact) {
      addSpans(db, { ...filter, fromMs, toMs }, columns, tallies, true)
    }
    const rollupColumns = groupColumns(groupBy, 'r')
    for (const window of plan.rollups) {
      addRollups(db, filter, window, rollupColumns, tallies, true)
    }
    mergeGroupSketches(tallies)
  }
  // Over many spans, walking the scores and looking up each one's span beats walking the spans
  // and looking up their scores: a week of a million spans with 50,000 scores takes 175 ms
  // instead of 645 ms. MAX(rowid) is the table's size without counting it.
  const spansInRange = tallies.total.totals[0] as number
  const [scoresStored] = db.query('SELECT MAX(rowid) FROM scores').values()[0] ?? [0]
  addScores(db, filter, columns, tallies, ((scoresStored as number | null) ?? 0) < spansInRange)

  return {
    from: filter.fromMs,
    to: filter.toMs,
    total: metrics(tallies.total),
    groups: (groupBy.length === 0 ? [] : tallies.all)
      .map((tally) => ({ key: keyObject(groupBy, tally.key), ...metrics(tally) }))
      .sort((a, b) => b.count - a.count),
    unpricedModels: unpricedModels(db, filter, plan),
    percentiles: plan === null ? 'exact' : 'sketch',
  }
}

/**
 * Scores of the filtered spans. A score names its span, or only its trace: then it belongs to
 * the trace's root span, the call the user saw. A root is a span whose parent is not stored, as
 * in a trace; a service called by an uninstrumented gateway has a parent id but no parent here.
 * `fromScores` makes SQLite walk the scores first (a CROSS JOIN keeps the order as written).
 */
function addScores(
  db: Database,
  filter: SpanFilter,
  columns: string[],
  tallies: Tallies,
  fromScores: boolean,
): void {
  const where = spanWhere(filter)
  const select = columns.length > 0 ? `${columns.join(', ')}, ` : ''
  const groupSql = [...columns, 'sc.name', 'sc.label'].join(', ')
  const sql = `SELECT ${select}sc.name, sc.label, COUNT(*), COUNT(sc.value), SUM(sc.value)
    FROM scores sc ${fromScores ? 'CROSS JOIN' : 'JOIN'} spans s ON s.trace_id = sc.trace_id
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
    for (const tally of [tallies.total, tallies.existing(row)]) {
      if (tally === undefined) continue
      let score = tally.scores.get(name)
      if (score === undefined) {
        score = { count: 0, valueCount: 0, valueSum: 0, labels: Object.create(null) }
        tally.scores.set(name, score)
      }
      score.count += count
      score.valueCount += valueCount
      score.valueSum += valueSum ?? 0
      if (label !== null) score.labels[label] = (score.labels[label] ?? 0) + count
    }
  }
}

function unpricedModels(
  db: Database,
  filter: SpanFilter,
  plan: ReadPlan | null,
): Summary['unpricedModels'] {
  const counts = new Map<string, { provider: string | null; model: string; count: number }>()
  const add = (provider: string | null, model: string, count: number) => {
    const id = JSON.stringify([provider, model])
    const entry = counts.get(id)
    if (entry === undefined) counts.set(id, { provider, model, count })
    else entry.count += count
  }

  const exact = plan === null ? [[filter.fromMs, filter.toMs] as const] : plan.exact
  for (const [fromMs, toMs] of exact) {
    const where = spanWhere({ ...filter, fromMs, toMs })
    const rows = db
      .query(
        `SELECT s.provider, s.model, COUNT(*) FROM spans s WHERE ${where.sql}
         AND s.cost_usd IS NULL AND s.cost_estimated = 1 GROUP BY s.provider, s.model`,
      )
      .values(...where.params)
    for (const [provider, model, count] of rows) {
      add(provider as string | null, model as string, count as number)
    }
  }
  for (const window of plan?.rollups ?? []) {
    for (const [provider, model, count] of rollupUnpriced(db, filter, window)) {
      add(provider, model, count)
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count)
}

/** Per-bucket metrics, one series per group. Empty buckets are left out. */
export function timeseries(
  db: Database,
  query: TimeseriesQuery,
  options: AggregateOptions = AGGREGATE_DEFAULTS,
): Timeseries {
  const { filter, groupBy, stepMs } = query
  const columns = groupColumns(groupBy)
  const bucketOf = (column: string) =>
    `CAST((${column} - ${Number(filter.fromMs)}) / ${Number(stepMs)} AS INTEGER)`
  const plan = planRead(
    db,
    filter,
    groupBy,
    timeseriesPlan(filter.fromMs, filter.toMs, stepMs),
    options,
  )
  const tallies = new Tallies(1 + columns.length, plan !== null)

  const spanKeys = [bucketOf('s.start_ms'), ...columns]
  if (plan === null) addSpans(db, filter, spanKeys, tallies, false)
  else {
    for (const [fromMs, toMs] of plan.exact) {
      addSpans(db, { ...filter, fromMs, toMs }, spanKeys, tallies, false)
    }
    const rollupKeys = [bucketOf('r.bucket_ms'), ...groupColumns(groupBy, 'r')]
    for (const window of plan.rollups) addRollups(db, filter, window, rollupKeys, tallies, false)
  }

  const series = new Map<string, Timeseries['series'][number]>()
  for (const tally of tallies.all) {
    const [index, ...key] = tally.key
    const seriesKey = JSON.stringify(key)
    let entry = series.get(seriesKey)
    if (entry === undefined) {
      entry = { key: keyObject(groupBy, key), points: [] }
      series.set(seriesKey, entry)
    }
    const m = metrics(tally)
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
  return {
    from: filter.fromMs,
    to: filter.toMs,
    stepMs,
    series: [...series.values()],
    percentiles: plan === null ? 'exact' : 'sketch',
  }
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
