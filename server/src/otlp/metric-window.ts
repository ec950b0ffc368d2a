import type { GenAiMetricPoint } from '../store/types.ts'

export const GENAI_METRIC_DIMENSIONS = [
  'model',
  'provider',
  'operation',
  'tokenType',
  'errorType',
  'service',
] as const
export type GenAiMetricDimension = (typeof GENAI_METRIC_DIMENSIONS)[number]

/** A histogram summed over a time window for one group. */
export interface GenAiHistogramGroup {
  key: Partial<Record<GenAiMetricDimension, string | null>>
  count: number
  sum: number
  min: number | null
  max: number | null
  /** Null when the group's points disagree on their bucket boundaries. */
  explicitBounds: number[] | null
  bucketCounts: number[] | null
}

interface Amount {
  count: number
  sum: number
  min: number | null
  max: number | null
  explicitBounds: number[]
  bucketCounts: number[]
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((bound, i) => bound === b[i])
}

function whole(point: GenAiMetricPoint): Amount {
  return {
    count: point.count,
    sum: point.sum ?? 0,
    min: point.min,
    max: point.max,
    explicitBounds: point.explicitBounds,
    bucketCounts: point.bucketCounts,
  }
}

/**
 * What a cumulative series added in the window: its last value in the window less its last value
 * before it. A series whose count went down was restarted (the process restarted), so its last
 * value is all new; so is one with no value before the window or with other boundaries.
 */
function cumulativeGrowth(last: GenAiMetricPoint, base: GenAiMetricPoint | undefined): Amount {
  if (
    base === undefined ||
    base.count > last.count ||
    !sameBounds(base.explicitBounds, last.explicitBounds)
  ) {
    return whole(last)
  }
  return {
    count: last.count - base.count,
    sum: (last.sum ?? 0) - (base.sum ?? 0),
    // min and max are over the series' life; in a window they are bounds, not exact values.
    min: last.min,
    max: last.max,
    explicitBounds: last.explicitBounds,
    bucketCounts: last.bucketCounts.map((n, i) => n - (base.bucketCounts[i] ?? 0)),
  }
}

/** Each series' amount in the window: delta points add up; cumulative ones are differenced. */
function amounts(points: readonly GenAiMetricPoint[], fromMs: number) {
  const out: { point: GenAiMetricPoint; amount: Amount }[] = []
  const lastInWindow = new Map<string, GenAiMetricPoint>()
  const lastBefore = new Map<string, GenAiMetricPoint>()
  for (const point of points) {
    if (point.temporality !== 2) {
      if (point.timeMs >= fromMs) out.push({ point, amount: whole(point) })
      continue
    }
    const id = `${point.series}\u0000${point.startMs}`
    const into = point.timeMs >= fromMs ? lastInWindow : lastBefore
    const seen = into.get(id)
    if (seen === undefined || seen.timeMs <= point.timeMs) into.set(id, point)
  }
  for (const [id, last] of lastInWindow) {
    out.push({ point: last, amount: cumulativeGrowth(last, lastBefore.get(id)) })
  }
  return out
}

function add(group: GenAiHistogramGroup, amount: Amount): void {
  group.count += amount.count
  group.sum += amount.sum
  if (amount.min !== null)
    group.min = group.min === null ? amount.min : Math.min(group.min, amount.min)
  if (amount.max !== null)
    group.max = group.max === null ? amount.max : Math.max(group.max, amount.max)
  if (group.explicitBounds === null || group.bucketCounts === null) return
  if (!sameBounds(group.explicitBounds, amount.explicitBounds)) {
    group.explicitBounds = null
    group.bucketCounts = null
    return
  }
  group.bucketCounts = group.bucketCounts.map((n, i) => n + (amount.bucketCounts[i] ?? 0))
}

/**
 * A metric's histograms over [fromMs, toMs), grouped by `groupBy`, from the points the store
 * returns for the window (with each cumulative series' last point before it).
 */
export function windowTotals(
  points: readonly GenAiMetricPoint[],
  fromMs: number,
  groupBy: readonly GenAiMetricDimension[],
): GenAiHistogramGroup[] {
  const groups = new Map<string, GenAiHistogramGroup>()
  for (const { point, amount } of amounts(points, fromMs)) {
    const key: GenAiHistogramGroup['key'] = {}
    for (const dimension of groupBy) key[dimension] = point[dimension]
    const id = JSON.stringify(key)
    let group = groups.get(id)
    if (group === undefined) {
      group = {
        key,
        count: 0,
        sum: 0,
        min: null,
        max: null,
        explicitBounds: amount.explicitBounds,
        bucketCounts: amount.explicitBounds.map(() => 0).concat(0),
      }
      groups.set(id, group)
    }
    add(group, amount)
  }
  return [...groups.values()].sort((a, b) => b.count - a.count)
}
