import type { Anomaly } from '@llmlens/spec'
import { formatCount, formatMs, formatPercent, formatUsd } from '../format/numbers.ts'
import { entriesOf } from '../safe/entries.ts'

/**
 * The metrics GET /api/v1/anomalies judges, in its order, with the words and units the pages
 * use. Restated here (the server's list lives in its analytics code) so the bundle carries no
 * server code; a metric the server adds later still shows, under its own name.
 */
export const ANOMALY_METRICS = [
  { id: 'latencyMs', label: 'Mean latency', format: formatMs },
  { id: 'latencyP95Ms', label: 'Latency p95', format: formatMs },
  { id: 'errorRate', label: 'Error rate', format: formatPercent },
  { id: 'costPerCallUsd', label: 'Cost per call', format: formatUsd },
  {
    id: 'inputTokens',
    label: 'Input tokens per call',
    format: (v: number) => formatCount(Math.round(v)),
  },
  {
    id: 'outputTokens',
    label: 'Output tokens per call',
    format: (v: number) => formatCount(Math.round(v)),
  },
  { id: 'spanLatencyMs', label: 'Single call latency', format: formatMs },
] as const

export type Severity = Anomaly['severity']
export const SEVERITIES: readonly Severity[] = ['warning', 'critical']

function metricOf(metric: string) {
  return ANOMALY_METRICS.find((m) => m.id === metric) ?? null
}

export function metricLabel(metric: string): string {
  return metricOf(metric)?.label ?? metric
}

/** A value of `metric` in its unit: 1.24 s, 3.1%, $0.0042, 1,204 tokens. */
export function formatMetricValue(metric: string, value: number): string {
  const format = metricOf(metric)?.format ?? ((v: number) => String(Number(v.toPrecision(4))))
  return format(value)
}

/** The group an anomaly belongs to, as text: "gpt-4o-mini", or "model a · endpoint /chat". */
export function keyText(key: Anomaly['key']): string {
  const entries = entriesOf(key)
  if (entries.length === 0) return 'all calls'
  if (entries.length === 1) return entries[0]?.[1] === null ? '(none)' : String(entries[0]?.[1])
  return entries
    .map(([name, value]) => `${name} ${value === null ? '(none)' : String(value)}`)
    .join(' · ')
}

/** A z-score with its sign, one decimal: +6.3, −4.1. */
export function formatZ(z: number): string {
  const sign = z > 0 ? '+' : z < 0 ? '−' : ''
  return `${sign}${Math.abs(z).toFixed(1)}`
}

/**
 * One sentence for an anomaly: what was seen against what was expected.
 *
 * @example
 *   describeAnomaly(a) // 'Latency p95 of gpt-4o-mini was 12.1 s, expected 3.74 s (z +4.2)'
 */
export function describeAnomaly(anomaly: Anomaly): string {
  const value = formatMetricValue(anomaly.metric, anomaly.value)
  const expected = formatMetricValue(anomaly.metric, anomaly.expected)
  const z = `z ${formatZ(anomaly.zScore)}`
  if (anomaly.kind === 'span') {
    return `A call to ${keyText(anomaly.key)} took ${value}, against a norm of ${expected} (${z})`
  }
  const sustained =
    anomaly.sustainedBuckets > 1 ? `, sustained over ${anomaly.sustainedBuckets} buckets` : ''
  return (
    `${metricLabel(anomaly.metric)} of ${keyText(anomaly.key)} was ${value}, ` +
    `expected ${expected} (${z}${sustained})`
  )
}

export const SEVERITY_LABELS: Record<Severity, string> = {
  warning: 'Warning',
  critical: 'Critical',
}

/**
 * A stable identity for an anomaly within a query, for URLs and keyed lists: the same bucket,
 * metric and group judged again gets the same id, live or read.
 */
export function anomalyId(anomaly: Anomaly): string {
  const key = JSON.stringify(entriesOf(anomaly.key))
  const call = anomaly.kind === 'span' ? `:${anomaly.spanIds[0] ?? ''}` : ''
  return `${anomaly.kind}:${anomaly.metric}:${Math.round(anomaly.time)}${call}:${key}`
}
