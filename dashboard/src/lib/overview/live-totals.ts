import type { Metrics, StoredSpan } from '@llmlens/spec'
import { type BucketTotals, bucketTotals, type Point, withLiveSpan } from '../charts/series.ts'
import { bucketIndex, type Counters, countersOf, matchesFilters, withSpan } from '../live/apply.ts'
import type { Window } from '../state/time-range.ts'
import type { Filters } from '../state/view-query.ts'

/** The overview's exactly-updatable numbers: totals, per-bucket totals, errors per category. */
export interface LiveTotals {
  window: Window
  totals: Counters
  buckets: BucketTotals
  /** Errors per bucket for each category charted; a Map, as category names are data. */
  categories: Map<string, number[]>
}

export function liveTotals(
  window: Window,
  total: Metrics,
  points: readonly Point[],
  categories: Map<string, number[]>,
): LiveTotals {
  return { window, totals: countersOf(total), buckets: bucketTotals(points, window), categories }
}

/**
 * The totals with a batch of live spans counted: those in the window that pass the filters.
 * Returns the same object when no span counted, so a view can skip redrawing.
 */
export function withLiveSpans(
  live: LiveTotals,
  spans: readonly StoredSpan[],
  filters: Filters,
): LiveTotals {
  let { totals, buckets } = live
  let categories = live.categories
  let counted = false
  for (const span of spans) {
    if (span.startTime < live.window.fromMs || !matchesFilters(span, filters)) continue
    counted = true
    totals = withSpan(totals, span)
    buckets = withLiveSpan(buckets, span, live.window)
    const type = span.error?.type
    const perBucket = type === undefined ? undefined : categories.get(type)
    if (span.status === 'error' && type !== undefined && perBucket !== undefined) {
      const index = bucketIndex(span.startTime, live.window)
      const next = perBucket.slice()
      while (next.length <= index) next.push(0)
      next[index] = (next[index] ?? 0) + 1
      categories = new Map(categories).set(type, next)
    }
  }
  return counted ? { window: live.window, totals, buckets, categories } : live
}
