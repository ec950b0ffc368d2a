import type { Anomaly } from '@llmlens/spec'
import { column, type Point, type Values } from '../charts/series.ts'
import { entriesOf } from '../safe/entries.ts'
import type { Window } from '../state/time-range.ts'
import {
  apiParams,
  FILTER_DIMENSIONS,
  type FilterDimension,
  type Filters,
} from '../state/view-query.ts'
import { type BaselineBand, continuousBaseline, rateBaseline } from './baseline.ts'

// The detail chart shows 90 buckets before the anomaly and 30 after; the baseline of its first
// bucket needs the 120 before that, so 210 buckets of history are read.
export const DETAIL_BUCKETS_BEFORE = 90
export const DETAIL_BUCKETS_AFTER = 30
const HISTORY_BUCKETS = 120

export interface DetailWindows {
  /** What is read: the shown window and the baseline's history before it. */
  read: Window
  /** What is shown. */
  shown: Window
}

/** The windows of an anomaly's detail chart at the step it was judged at, never past `nowMs`. */
export function detailWindows(anomaly: Anomaly, stepMs: number, nowMs: number): DetailWindows {
  const bucketMs = Math.floor(anomaly.time / stepMs) * stepMs
  const fromMs = bucketMs - DETAIL_BUCKETS_BEFORE * stepMs
  const toMs = Math.max(
    bucketMs + stepMs,
    Math.min(nowMs, bucketMs + (DETAIL_BUCKETS_AFTER + 1) * stepMs),
  )
  return {
    read: { fromMs: fromMs - HISTORY_BUCKETS * stepMs, toMs, stepMs },
    shown: { fromMs, toMs, stepMs },
  }
}

/**
 * The filter of an anomaly's own group: the view's, narrowed to each key value. Null when a key
 * value is null (calls with no model, say), which no filter can select.
 */
export function groupFilters(filters: Filters, key: Anomaly['key']): Filters | null {
  const out: { [K in FilterDimension]?: readonly string[] } = { ...filters }
  for (const [dimension, value] of entriesOf(key)) {
    if (typeof value !== 'string' || !isFilterDimension(dimension)) return null
    out[dimension] = [value]
  }
  return out
}

const isFilterDimension = (name: string): name is FilterDimension =>
  (FILTER_DIMENSIONS as readonly string[]).includes(name)

const okCalls = (p: Point) => p.count - p.errorCount
const perOkCall = (sum: number, p: Point) => (okCalls(p) > 0 ? sum / okCalls(p) : null)

/** Each metric's value in a time-series point, and the calls it comes from. */
const READERS: Record<string, { value: (p: Point) => number | null; calls: (p: Point) => number }> =
  {
    latencyMs: { value: (p) => p.latencyMs.mean, calls: (p) => p.count },
    latencyP95Ms: { value: (p) => p.latencyMs.p95, calls: (p) => p.count },
    costPerCallUsd: { value: (p) => perOkCall(p.costUsd, p), calls: okCalls },
    inputTokens: { value: (p) => perOkCall(p.usage.inputTokens, p), calls: okCalls },
    outputTokens: { value: (p) => perOkCall(p.usage.outputTokens, p), calls: okCalls },
    errorRate: {
      value: (p) => (p.count === 0 ? null : p.errorCount / p.count),
      calls: (p) => p.count,
    },
    // A single call is shown against its group's slowest call per bucket.
    spanLatencyMs: { value: (p) => p.latencyMs.max, calls: (p) => p.count },
  }

export interface DetailSeries {
  /** Bucket start times of the shown window. */
  times: number[]
  values: Values
  label: string
  baseline: BaselineBand
  /** The recomputed baseline at the anomaly's bucket, to hold against the server's `expected`. */
  expectedAtAnomaly: number | null
}

/**
 * The anomaly's metric bucket by bucket over the shown window, with the baseline behind it,
 * from the group's time series over the read window.
 */
export function detailSeries(
  anomaly: Anomaly,
  points: readonly Point[],
  windows: DetailWindows,
): DetailSeries | null {
  const reader = Object.hasOwn(READERS, anomaly.metric) ? READERS[anomaly.metric] : undefined
  if (reader === undefined) return null
  const { read, shown } = windows
  const values = column(points, read, reader.value, null)
  const calls = column(points, read, reader.calls, 0) as number[]
  const counts = column(points, read, (p) => p.count, 0) as number[]
  const errors = column(points, read, (p) => p.errorCount, 0) as number[]

  let band: BaselineBand
  if (anomaly.metric === 'errorRate') {
    band = rateBaseline(counts.map((count, i) => ({ count, errorCount: errors[i] ?? 0 })))
  } else if (anomaly.kind === 'span') {
    // A call is judged against a norm over the whole range, one number: a flat line.
    band = {
      center: values.map(() => anomaly.expected),
      low: values.map(() => null),
      high: values.map(() => null),
    }
  } else {
    const method = anomaly.method === 'robust' ? 'robust' : 'zscore'
    band = continuousBaseline(
      values.map((value, i) => ({ value, calls: calls[i] ?? 0 })),
      method,
    )
  }

  const offset = Math.round((shown.fromMs - read.fromMs) / read.stepMs)
  const length = Math.max(1, Math.ceil((shown.toMs - shown.fromMs) / shown.stepMs))
  const cut = (list: Values) => list.slice(offset, offset + length)
  const anomalyIndex = Math.floor((anomaly.time - read.fromMs) / read.stepMs)
  return {
    times: Array.from({ length }, (_, i) => shown.fromMs + i * shown.stepMs),
    values: cut(values),
    label: anomaly.kind === 'span' ? 'slowest call per bucket' : 'per bucket',
    baseline: { center: cut(band.center), low: cut(band.low), high: cut(band.high) },
    expectedAtAnomaly: band.center[anomalyIndex] ?? null,
  }
}

// The detector names at most five calls of a bucket; its slowest (or failed) ones come first in
// a list sorted by duration, so a page of 100 finds them however busy the bucket.
const CALLS_PAGE = 100

/**
 * The GET /api/v1/spans query that finds the calls an anomaly names, so they can link to their
 * traces (the anomaly carries span ids only): its bucket's calls in its group, slowest first,
 * the failed ones for an error rate; for a single call, the millisecond it started in.
 */
export function namedCallsParams(
  anomaly: Anomaly,
  filters: Filters,
  stepMs: number,
): URLSearchParams | null {
  const group = groupFilters(filters, anomaly.key)
  if (group === null) return null
  const fromMs =
    anomaly.kind === 'span' ? Math.floor(anomaly.time) : Math.floor(anomaly.time / stepMs) * stepMs
  const toMs = anomaly.kind === 'span' ? Math.floor(anomaly.time) + 1 : fromMs + stepMs
  const params = apiParams(
    anomaly.metric === 'errorRate' ? { ...group, status: ['error'] } : group,
    { fromMs, toMs },
  )
  params.set('sort', 'durationMs')
  params.set('order', 'desc')
  params.set('limit', String(CALLS_PAGE))
  return params
}
