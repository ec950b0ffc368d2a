import type { Database } from 'bun:sqlite'
import type { GroupDimension, SpanFilter } from '../types.ts'
import {
  MEASURES_SQL,
  ROLLUP_DIMENSION_COLUMNS,
  ROLLUP_LEVELS,
  type RollupLevel,
} from './rollups.ts'
import { FILTER_COLUMNS, GROUP_COLUMNS, type SqlParam } from './where.ts'

const [MINUTE, HOUR] = ROLLUP_LEVELS

/** A time window [fromMs, toMs) answered from one rollup level. */
export interface RollupWindow {
  level: RollupLevel
  fromMs: number
  toMs: number
}

/** How a read splits its range: whole buckets from rollups, the ragged ends from spans. */
export interface ReadPlan {
  rollups: RollupWindow[]
  exact: [number, number][]
}

const ROLLUP_FILTERS = new Set<string>(ROLLUP_DIMENSION_COLUMNS)

/** Whether every filter and grouping of a read is a rollup dimension. */
export function rollupsCanAnswer(filter: SpanFilter, groupBy: readonly GroupDimension[]): boolean {
  if ((filter.tag ?? []).length > 0) return false
  for (const [field, column] of Object.entries(FILTER_COLUMNS)) {
    const values = filter[field as keyof typeof FILTER_COLUMNS]
    if (values !== undefined && values.length > 0 && !ROLLUP_FILTERS.has(column)) return false
  }
  return groupBy.every((dimension) => ROLLUP_FILTERS.has(GROUP_COLUMNS[dimension]))
}

const floorTo = (ms: number, widthMs: number) => Math.floor(ms / widthMs) * widthMs
const ceilTo = (ms: number, widthMs: number) => Math.ceil(ms / widthMs) * widthMs

/**
 * A summary's range as whole hours, whole minutes around them, and the partial minutes at the
 * ends, which come from the spans themselves.
 */
export function summaryPlan(fromMs: number, toMs: number): ReadPlan {
  const minuteFrom = ceilTo(fromMs, MINUTE.widthMs)
  const minuteTo = floorTo(toMs, MINUTE.widthMs)
  if (minuteFrom >= minuteTo) return { rollups: [], exact: [[fromMs, toMs]] }

  const hourFrom = ceilTo(minuteFrom, HOUR.widthMs)
  const hourTo = floorTo(minuteTo, HOUR.widthMs)
  const rollups: RollupWindow[] =
    hourFrom < hourTo
      ? [
          { level: MINUTE, fromMs: minuteFrom, toMs: hourFrom },
          { level: HOUR, fromMs: hourFrom, toMs: hourTo },
          { level: MINUTE, fromMs: hourTo, toMs: minuteTo },
        ]
      : [{ level: MINUTE, fromMs: minuteFrom, toMs: minuteTo }]
  return {
    rollups: rollups.filter((w) => w.fromMs < w.toMs),
    exact: [
      [fromMs, minuteFrom],
      [minuteTo, toMs],
    ].filter(([from, to]) => (from as number) < (to as number)) as [number, number][],
  }
}

/**
 * A time series' range, when its buckets are made of whole rollup buckets: it starts on a
 * minute and steps by whole minutes (hours, for the hour level). Otherwise null.
 */
export function timeseriesPlan(fromMs: number, toMs: number, stepMs: number): ReadPlan | null {
  if (fromMs % MINUTE.widthMs !== 0 || stepMs % MINUTE.widthMs !== 0) return null
  const minuteTo = Math.max(fromMs, floorTo(toMs, MINUTE.widthMs))
  const byHour = fromMs % HOUR.widthMs === 0 && stepMs % HOUR.widthMs === 0
  const hourTo = byHour ? Math.max(fromMs, floorTo(minuteTo, HOUR.widthMs)) : fromMs
  const rollups: RollupWindow[] = [
    { level: HOUR, fromMs, toMs: hourTo },
    { level: MINUTE, fromMs: hourTo, toMs: minuteTo },
  ]
  return {
    rollups: rollups.filter((w) => w.fromMs < w.toMs),
    exact: minuteTo < toMs ? [[minuteTo, toMs]] : [],
  }
}

/** The WHERE clause of a rollup window under a filter's dimension values. */
function rollupWhere(filter: SpanFilter, window: RollupWindow) {
  const clauses = ['r.bucket_ms >= ?', 'r.bucket_ms < ?']
  const params: SqlParam[] = [window.fromMs, window.toMs]
  for (const [field, column] of Object.entries(FILTER_COLUMNS)) {
    const values = filter[field as keyof typeof FILTER_COLUMNS]
    if (values === undefined || values.length === 0) continue
    clauses.push(`r.${column} IN (${values.map(() => '?').join(', ')})`)
    params.push(...values)
  }
  return { sql: clauses.join(' AND '), params }
}

/** Spans and rows in a plan's rollup windows: decides whether reading the rollups pays. */
export function rollupCount(
  db: Database,
  filter: SpanFilter,
  windows: RollupWindow[],
): { spans: number; rows: number } {
  let spans = 0
  let rows = 0
  for (const window of windows) {
    const where = rollupWhere(filter, window)
    const row = db
      .query(`SELECT SUM(r.count), COUNT(*) FROM ${window.level.table} r WHERE ${where.sql}`)
      .values(...where.params)[0]
    spans += (row?.[0] as number | null) ?? 0
    rows += (row?.[1] as number | null) ?? 0
  }
  return { spans, rows }
}

/**
 * Every rollup row of a window: the values of `keyColumns` (rollup columns, or expressions over
 * `r`), its error type, and its measures in MEASURE_COLUMNS order. Rows come per stored key, so
 * callers merge them.
 */
export function* rollupRows(
  db: Database,
  filter: SpanFilter,
  window: RollupWindow,
  keyColumns: readonly string[],
): Generator<{ key: unknown[]; errorType: string | null; measures: unknown[] }> {
  const where = rollupWhere(filter, window)
  const keySql = keyColumns.length > 0 ? `${keyColumns.join(', ')}, ` : ''
  const rows = db
    .query(
      `SELECT ${keySql}r.error_type, ${MEASURES_SQL} FROM ${window.level.table} r WHERE ${where.sql}`,
    )
    .values(...where.params)
  const width = keyColumns.length
  for (const row of rows) {
    yield {
      key: row.slice(0, width),
      errorType: row[width] as string | null,
      measures: row.slice(width + 1),
    }
  }
}

/** Calls with no known price in a window, per provider and model. */
export function rollupUnpriced(
  db: Database,
  filter: SpanFilter,
  window: RollupWindow,
): [string | null, string, number][] {
  const where = rollupWhere(filter, window)
  return db
    .query(
      `SELECT r.provider, r.model, SUM(r.unpriced_count) FROM ${window.level.table} r
       WHERE ${where.sql} AND r.unpriced_count > 0 GROUP BY r.provider, r.model`,
    )
    .values(...where.params) as [string | null, string, number][]
}
