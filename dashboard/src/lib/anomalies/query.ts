import type { Anomaly } from '@llmlens/spec'
import { ownValue } from '../safe/entries.ts'
import type { Window } from '../state/time-range.ts'
import {
  apiParams,
  type Filters,
  MODEL_CALL_KINDS,
  type ViewQuery,
  writeView,
} from '../state/view-query.ts'
import { anomalyId, type Severity } from './describe.ts'

const MINUTE_MS = 60_000
// The detector's own bucket, and what the live stream judges: one minute. Longer ranges step
// up, because the server judges at most 10,000 buckets per group in one query.
const STEPS_MS = [1, 5, 15, 60, 360, 1_440].map((minutes) => minutes * MINUTE_MS)
export const ANOMALY_BUCKETS_MAX = 10_000
export const LIVE_STEP_MS = MINUTE_MS

/** The bucket width anomalies are judged at over `window`: a minute when the range allows. */
export function anomalyStepMs(window: { fromMs: number; toMs: number }): number {
  const rangeMs = Math.max(0, window.toMs - window.fromMs)
  return (
    STEPS_MS.find((step) => Math.ceil(rangeMs / step) <= ANOMALY_BUCKETS_MAX) ??
    Math.ceil(rangeMs / ANOMALY_BUCKETS_MAX / MINUTE_MS) * MINUTE_MS
  )
}

export interface AnomalyQueryOptions {
  severity?: Severity
  metrics?: readonly string[]
  /** Whether to flag single slow calls too; off for chart markers, which show buckets. */
  spans?: boolean
}

/** The query of GET /api/v1/anomalies for a view's window and filters. */
export function anomalyParams(
  filters: Filters,
  window: Window,
  options: AnomalyQueryOptions = {},
): URLSearchParams {
  const params = apiParams(filters, window)
  params.set('stepMs', String(anomalyStepMs(window)))
  if (options.severity) params.set('severity', options.severity)
  for (const metric of options.metrics ?? []) params.append('metric', metric)
  if (options.spans === false) params.set('spans', 'false')
  return params
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value) => b.includes(value))

/**
 * Whether a live anomaly belongs in a view. The server judges live buckets per model over all
 * model calls, unfiltered, so it belongs exactly when the view filters at most by model (and
 * the default kinds); with any other filter the view cannot tell, and says 'unknown'.
 */
export function liveAnomalyFits(anomaly: Anomaly, filters: Filters): 'yes' | 'no' | 'unknown' {
  for (const [dimension, values] of Object.entries(filters) as [string, readonly string[]][]) {
    if (values.length === 0 || dimension === 'model') continue
    if (dimension === 'kind' && sameSet(values, MODEL_CALL_KINDS)) continue
    return 'unknown'
  }
  const models = filters.model ?? []
  if (models.length === 0) return 'yes'
  const model = ownValue(anomaly.key, 'model')
  return typeof model === 'string' && models.includes(model) ? 'yes' : 'no'
}

/** The Anomalies page showing `anomaly`, over the same range and filters as `view`. */
export function anomalyHref(view: ViewQuery, anomaly: Anomaly): string {
  const params = writeView(view, new URLSearchParams())
  params.set('id', anomalyId(anomaly))
  return `/anomalies?${params}`
}
