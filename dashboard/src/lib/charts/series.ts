import type { StoredSpan, Timeseries } from '@llmlens/spec'
import { bucketIndex } from '../live/apply.ts'
import { bucketStarts, type Window } from '../state/time-range.ts'

export type Point = Timeseries['series'][number]['points'][number]
export type Values = (number | null)[]

/** One line of a chart: its legend text and one value per bucket. */
export interface ChartSeries {
  label: string
  values: Values
}

/** A baseline drawn behind a chart's series: the expected line and the band it stays in. */
export interface ChartBaseline {
  label: string
  center: Values
  low: Values
  high: Values
}

/** One value per bucket of `window` from the server's sparse points; gaps get `empty`. */
export function column(
  points: readonly Point[],
  window: Window,
  pick: (point: Point) => number | null,
  empty: number | null,
): Values {
  const values: Values = bucketStarts(window).map(() => empty)
  for (const point of points) {
    const index = Math.round((point.time - window.fromMs) / window.stepMs)
    if (index >= 0 && index < values.length) values[index] = pick(point)
  }
  return values
}

/** The additive numbers of each bucket, which a live span can update exactly. */
export interface BucketTotals {
  times: number[]
  count: number[]
  errorCount: number[]
  inputTokens: number[]
  outputTokens: number[]
  costUsd: number[]
}

export function bucketTotals(points: readonly Point[], window: Window): BucketTotals {
  const zeros = (pick: (point: Point) => number) => column(points, window, pick, 0) as number[]
  return {
    times: bucketStarts(window),
    count: zeros((p) => p.count),
    errorCount: zeros((p) => p.errorCount),
    inputTokens: zeros((p) => p.usage.inputTokens),
    outputTokens: zeros((p) => p.usage.outputTokens),
    costUsd: zeros((p) => p.costUsd),
  }
}

/**
 * The totals with one more span counted, as new arrays. A span past the last bucket (the live
 * window has moved on) adds buckets up to its own.
 */
export function withLiveSpan(totals: BucketTotals, span: StoredSpan, window: Window) {
  const index = bucketIndex(span.startTime, window)
  if (index < 0) return totals
  const grow = (values: number[]) => {
    const out = values.slice()
    while (out.length <= index) out.push(0)
    return out
  }
  const next: BucketTotals = {
    times: grow(totals.times).map((_, i) => window.fromMs + i * window.stepMs),
    count: grow(totals.count),
    errorCount: grow(totals.errorCount),
    inputTokens: grow(totals.inputTokens),
    outputTokens: grow(totals.outputTokens),
    costUsd: grow(totals.costUsd),
  }
  next.count[index] = (next.count[index] ?? 0) + 1
  if (span.status === 'error') next.errorCount[index] = (next.errorCount[index] ?? 0) + 1
  next.inputTokens[index] = (next.inputTokens[index] ?? 0) + (span.usage.inputTokens ?? 0)
  next.outputTokens[index] = (next.outputTokens[index] ?? 0) + (span.usage.outputTokens ?? 0)
  next.costUsd[index] = (next.costUsd[index] ?? 0) + (span.costUsd ?? 0)
  return next
}

/**
 * Each bucket's count per minute, for a throughput chart whatever the bucket width. The last
 * bucket of a live window is still filling; dividing by the part that has passed (`toMs`) keeps
 * it from reading as a sudden drop.
 */
export function perMinute(
  counts: readonly number[],
  window: { fromMs: number; stepMs: number; toMs?: number },
): number[] {
  return counts.map((count, i) => {
    const startMs = window.fromMs + i * window.stepMs
    const elapsedMs = Math.min(window.stepMs, (window.toMs ?? Number.POSITIVE_INFINITY) - startMs)
    return elapsedMs > 0 ? count / (elapsedMs / 60_000) : 0
  })
}

/** `part` as a share of `whole`, bucket by bucket; null where nothing happened. */
export function ratio(part: readonly (number | null)[], whole: readonly number[]): Values {
  return whole.map((total, i) => (total > 0 ? (part[i] ?? 0) / total : null))
}

export const NONE_LABEL = '(none)'
const OTHER_LABEL = 'other'

/**
 * The series of a grouped time series, largest first by `pick` summed over the window; past
 * `limit`, the rest are summed into one "other" series so a chart keeps a readable legend.
 */
export function topSeries(
  timeseries: Timeseries,
  dimension: string,
  window: Window,
  pick: (point: Point) => number,
  limit: number,
): ChartSeries[] {
  const ranked = timeseries.series
    .map((series) => {
      const key = Object.hasOwn(series.key, dimension) ? series.key[dimension] : null
      const values = column(series.points, window, pick, 0) as number[]
      const total = values.reduce((sum, value) => sum + value, 0)
      return { label: key ?? NONE_LABEL, values, total }
    })
    .sort((a, b) => b.total - a.total)
  const shown = ranked.slice(0, limit).map(({ label, values }) => ({ label, values }))
  const rest = ranked.slice(limit)
  if (rest.length === 0) return shown
  const other = rest[0]?.values.map((_, i) => rest.reduce((sum, s) => sum + (s.values[i] ?? 0), 0))
  return [...shown, { label: OTHER_LABEL, values: other ?? [] }]
}
