import type { Anomaly } from '@llmlens/spec'
import { describeAnomaly, SEVERITY_LABELS, type Severity } from './describe.ts'

/** Which anomaly metrics each overview chart marks. */
export const MARKED_METRICS_BY_CHART = {
  latency: ['latencyMs', 'latencyP95Ms'],
  errors: ['errorRate'],
  tokens: ['inputTokens', 'outputTokens'],
  cost: ['costPerCallUsd'],
} as const satisfies Record<string, readonly string[]>

export const MARKED_METRICS: readonly string[] = Object.values(MARKED_METRICS_BY_CHART).flat()

/** A marker on a time chart: where, how bad, and what it says when hovered or focused. */
export interface ChartMark {
  /** Where the marker sits, epoch ms: the start of the worst anomaly's bucket. */
  timeMs: number
  severity: Severity
  /** Anomalies behind the marker; one marker stands for all of them in its chart bucket. */
  count: number
  /** The worst anomaly in words, with how many more there are. */
  text: string
  /** The worst anomaly's detail view. */
  href: string
  /** A stable key for keyed lists. */
  id: string
}

const worse = (a: Anomaly, b: Anomaly) =>
  (a.severity === 'critical' ? 1 : 0) - (b.severity === 'critical' ? 1 : 0) ||
  Math.abs(a.zScore) - Math.abs(b.zScore)

/**
 * Markers for one chart: the anomalies of `metrics`, one marker per chart bucket (a chart of
 * 120 buckets over six hours would otherwise stack dozens of minute-sized markers), each
 * showing its most severe anomaly and counting the rest. Oldest first.
 *
 * @example
 *   chartMarks(anomalies, ['latencyMs', 'latencyP95Ms'], window, (a) => `/anomalies?id=…`)
 */
export function chartMarks(
  anomalies: readonly Anomaly[],
  metrics: readonly string[],
  window: { fromMs: number; stepMs: number },
  href: (anomaly: Anomaly) => string,
  formatTime: (ms: number) => string,
): ChartMark[] {
  const byBucket = new Map<number, Anomaly[]>()
  for (const anomaly of anomalies) {
    if (!metrics.includes(anomaly.metric) || anomaly.time < window.fromMs) continue
    const bucket = Math.floor((anomaly.time - window.fromMs) / window.stepMs)
    const list = byBucket.get(bucket)
    if (list) list.push(anomaly)
    else byBucket.set(bucket, [anomaly])
  }
  return [...byBucket.entries()]
    .sort(([a], [b]) => a - b)
    .map(([bucket, list]) => {
      const worst = list.reduce((best, next) => (worse(next, best) > 0 ? next : best))
      const more = list.length > 1 ? `; ${list.length - 1} more in this bucket` : ''
      const when = `${SEVERITY_LABELS[worst.severity]} at ${formatTime(worst.time)}`
      return {
        timeMs: worst.time,
        severity: worst.severity,
        count: list.length,
        text: `${when}: ${describeAnomaly(worst)}${more}`,
        href: href(worst),
        id: `${bucket}`,
      }
    })
}

/**
 * `anomalies` with `arrived` added, none twice: a live event for a bucket the last read already
 * listed replaces it. Oldest first, as the API lists them.
 */
export function withArrived(
  anomalies: readonly Anomaly[],
  arrived: readonly Anomaly[],
  idOf: (anomaly: Anomaly) => string,
): Anomaly[] {
  const byId = new Map(anomalies.map((anomaly) => [idOf(anomaly), anomaly]))
  for (const anomaly of arrived) byId.set(idOf(anomaly), anomaly)
  return [...byId.values()].sort((a, b) => a.time - b.time)
}
