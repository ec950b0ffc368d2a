import type { Anomalies, Anomaly } from '@llmlens/spec'
import type { GroupDimension, SpanFilter, Store, Timeseries } from '../store/types.ts'
import {
  ANOMALY_DEFAULTS,
  ANOMALY_METRICS,
  type AnomalyMetric,
  type AnomalyOptions,
  type BucketAggregate,
  type BucketAnomaly,
  detectBucketAnomalies,
  type Severity,
} from './anomalies.ts'
import {
  flagSlowCalls,
  latencyNorm,
  SPAN_OUTLIER_DEFAULTS,
  type SpanOutlierOptions,
} from './span-outliers.ts'

/**
 * Anomalies of a stored range, judged on demand: the statistics of anomalies.ts and
 * span-outliers.ts fed from a Store, whatever store it is. Imported, late and historical data
 * are judged the same as what arrived live.
 */
export interface AnomalyQuery {
  /** The range judged; the baseline before it is read as well. */
  filter: SpanFilter
  groupBy: GroupDimension[]
  stepMs: number
  metrics: readonly AnomalyMetric[]
  severityMin: Severity
  /** Whether to flag single calls far outside their group's latency. */
  spans: boolean
  options: AnomalyOptions
  spanOptions: SpanOutlierOptions
  anomaliesMax: number
}

export const ANOMALY_QUERY_DEFAULTS = {
  groupBy: ['model'] as GroupDimension[],
  stepMs: 60_000,
  metrics: ANOMALY_METRICS,
  severityMin: 'warning' as Severity,
  spans: true,
  options: ANOMALY_DEFAULTS,
  spanOptions: SPAN_OUTLIER_DEFAULTS,
  anomaliesMax: 1000,
} satisfies Omit<AnomalyQuery, 'filter'>

// Enough calls for a robust norm to within a few percent; more only costs time.
const NORM_SAMPLE_MAX = 20_000
const NORM_SEED = 7
// The calls a bucket anomaly names, and the single-call flags one group may raise per query.
const BUCKET_SPAN_IDS_MAX = 5
const SLOW_CALLS_PER_GROUP_MAX = 100

export const SEVERITY_RANK: Record<Severity, number> = { warning: 0, critical: 1 }

/** Statistics compare calls to calls: unless asked otherwise, agent and tool spans stay out. */
export function callFilter(filter: SpanFilter): SpanFilter {
  return filter.kind === undefined ? { ...filter, kind: ['llm', 'embedding'] } : filter
}

type Key = Record<string, string | null>

/** The filter narrowed to one group, or null when a key value is null (no filter says "none"). */
export function keyFilter(filter: SpanFilter, key: Key): SpanFilter | null {
  const narrowed: SpanFilter = { ...filter }
  for (const [dimension, value] of Object.entries(key)) {
    if (value === null) return null
    narrowed[dimension as GroupDimension] = [value]
  }
  return narrowed
}

function toBuckets(points: Timeseries['series'][number]['points']): BucketAggregate[] {
  return points.map((p) => ({
    time: p.time,
    count: p.count,
    errorCount: p.errorCount,
    latencyMeanMs: p.latencyMs.mean,
    latencyP95Ms: p.latencyMs.p95,
    costUsd: p.costUsd,
    inputTokens: p.usage.inputTokens,
    outputTokens: p.usage.outputTokens,
  }))
}

/**
 * Every anomaly of the range, oldest first.
 *
 * @example
 *   evaluateAnomalies(store, { ...ANOMALY_QUERY_DEFAULTS, filter: { fromMs, toMs } })
 */
export function evaluateAnomalies(store: Store, query: AnomalyQuery): Anomalies {
  const { filter, stepMs, options } = query
  const evaluateFromMs = Math.floor(filter.fromMs / stepMs) * stepMs
  const baselineFromMs = evaluateFromMs - options.baselineBuckets * stepMs
  const series = store.timeseries({
    filter: { ...filter, fromMs: baselineFromMs },
    groupBy: query.groupBy,
    stepMs,
  }).series

  let evaluations = 0
  const found: Anomaly[] = []
  for (const { key, points } of series) {
    const detection = detectBucketAnomalies(
      toBuckets(points),
      stepMs,
      evaluateFromMs,
      options,
      query.metrics,
    )
    evaluations += detection.evaluations
    for (const anomaly of detection.anomalies) found.push(bucketAnomaly(anomaly, key))
    if (query.spans) found.push(...spanAnomalies(store, query, key, baselineFromMs))
  }

  const kept = found
    .filter((a) => SEVERITY_RANK[a.severity] >= SEVERITY_RANK[query.severityMin])
    .sort((a, b) => a.time - b.time || SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])
  const listed = kept.slice(0, query.anomaliesMax)
  for (const anomaly of listed) {
    if (anomaly.kind === 'bucket') anomaly.spanIds = bucketSpanIds(store, query, anomaly)
  }
  return {
    from: filter.fromMs,
    to: filter.toMs,
    stepMs,
    groupBy: query.groupBy,
    evaluations,
    truncated: kept.length > listed.length,
    anomalies: listed,
  }
}

function bucketAnomaly(anomaly: BucketAnomaly, key: Key): Anomaly {
  return {
    metric: anomaly.metric,
    kind: 'bucket',
    key,
    time: anomaly.time,
    value: anomaly.value,
    expected: anomaly.expected,
    zScore: anomaly.zScore,
    severity: anomaly.severity,
    method: anomaly.method,
    count: anomaly.count,
    sustainedBuckets: anomaly.sustainedBuckets,
    spanIds: [],
  }
}

/**
 * Single calls far outside their group's latency. The norm comes from the whole range and its
 * baseline: a robust norm over a day is barely moved by an hour-long incident inside it. A
 * flag is a warning however far out the call is, because one slow call should never page.
 */
function spanAnomalies(store: Store, query: AnomalyQuery, key: Key, baselineFromMs: number) {
  const group = keyFilter(query.filter, key)
  if (group === null) return []
  const sample = store.callSamples({
    filter: { ...group, fromMs: baselineFromMs },
    sampleMax: NORM_SAMPLE_MAX,
    seed: NORM_SEED,
  })
  const norm = latencyNorm(
    sample.calls.map((call) => call.durationMs),
    query.spanOptions,
  )
  if (norm === null) return []
  const slow = store.slowCalls(group, norm.thresholdMs, SLOW_CALLS_PER_GROUP_MAX)
  return flagSlowCalls(slow, norm).map(
    (call): Anomaly => ({
      metric: 'spanLatencyMs',
      kind: 'span',
      key,
      time: call.startMs,
      value: call.durationMs,
      expected: call.expectedMs,
      zScore: call.zScore,
      severity: 'warning',
      method: 'robust',
      count: 1,
      sustainedBuckets: 1,
      spanIds: [call.spanId],
    }),
  )
}

/** The calls behind a bucket anomaly: its slowest calls, or its failed ones for an error rate. */
function bucketSpanIds(store: Store, query: AnomalyQuery, anomaly: Anomaly): string[] {
  if (!anomaly.metric.startsWith('latency') && anomaly.metric !== 'errorRate') return []
  const group = keyFilter(query.filter, anomaly.key)
  if (group === null) return []
  const bucket: SpanFilter = {
    ...group,
    fromMs: anomaly.time,
    toMs: anomaly.time + query.stepMs,
    ...(anomaly.metric === 'errorRate' ? { status: ['error'] } : {}),
  }
  return store.slowCalls(bucket, 0, BUCKET_SPAN_IDS_MAX).map((call) => call.spanId)
}
