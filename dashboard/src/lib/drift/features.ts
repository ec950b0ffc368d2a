import type { FeatureDriftReply, StoredSpan } from '@llmlens/spec'
import { formatCount, formatMs, formatScore } from '../format/numbers.ts'

/** A drift feature's name as a reader says it. */
export function featureLabel(feature: string): string {
  switch (feature) {
    case 'inputTokens':
      return 'Input tokens per call'
    case 'outputTokens':
      return 'Output tokens per call'
    case 'latencyMs':
      return 'Latency'
    case 'ttftMs':
      return 'Time to first token'
    case 'finishReason':
      return 'Finish reason'
    case 'errorType':
      return 'Outcome (ok or error category)'
  }
  if (feature.startsWith('scores.') && feature.endsWith('.label') && feature.length > 13) {
    return `Score labels: ${feature.slice('scores.'.length, -'.label'.length)}`
  }
  if (feature.startsWith('scores.')) return `Score: ${feature.slice('scores.'.length)}`
  return feature
}

/** How a feature's values read: durations, token counts or score values. */
export function featureFormat(feature: string): (value: number) => string {
  if (feature === 'latencyMs' || feature === 'ttftMs') return formatMs
  if (feature === 'inputTokens' || feature === 'outputTokens') {
    return (value) => formatCount(Math.round(value))
  }
  if (feature.startsWith('scores.')) return formatScore
  return (value) => String(Number(value.toPrecision(3)))
}

/** The score name of a numeric score feature, or null for any other feature. */
export function scoreName(feature: FeatureDriftReply): string | null {
  if (feature.kind !== 'numeric' || !feature.feature.startsWith('scores.')) return null
  return feature.feature.slice('scores.'.length)
}

/**
 * A numeric call feature's value in a span, as the server reads it for drift (successful calls
 * only; the sample asks for those), or undefined for a feature spans do not carry.
 */
export function spanValue(feature: string, span: StoredSpan): number | null | undefined {
  switch (feature) {
    case 'inputTokens':
      return span.usage.inputTokens
    case 'outputTokens':
      return span.usage.outputTokens
    case 'latencyMs':
      return span.durationMs
    case 'ttftMs':
      return span.timeToFirstTokenMs
    default:
      return undefined
  }
}

export const LEVEL_LABELS: Record<string, string> = {
  stable: 'stable',
  moderate: 'moderate shift',
  major: 'major shift',
}

/** "p50 1,204 · mean 1,608" for a numeric window, "n 2,409" always. */
export function windowSummary(feature: FeatureDriftReply, side: 'reference' | 'current'): string {
  const stats = feature[side]
  const parts = [`n ${formatCount(stats.count)}`]
  if (feature.kind === 'numeric') {
    const format = featureFormat(feature.feature)
    if (typeof stats.p50 === 'number') parts.push(`p50 ${format(stats.p50)}`)
    if (typeof stats.mean === 'number') parts.push(`mean ${format(stats.mean)}`)
  }
  return parts.join(' · ')
}
