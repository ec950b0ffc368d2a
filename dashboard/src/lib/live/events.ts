import type { AlertEvent, Anomaly, StoredScore, StoredSpan } from '@llmlens/spec'

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data)
  } catch {
    return null
  }
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value)

/** A group key: every own value a string or null. Keys are data, so nothing else is assumed. */
function isKey(value: unknown): value is Record<string, string | null> {
  return isObject(value) && Object.values(value).every((v) => v === null || typeof v === 'string')
}

/** A span event's data, or null when it is not shaped like a stored span. */
export function parseSpan(data: string): StoredSpan | null {
  const value = parse(data)
  if (!isObject(value)) return null
  const ok =
    typeof value.traceId === 'string' &&
    typeof value.spanId === 'string' &&
    typeof value.startTime === 'number' &&
    typeof value.endTime === 'number' &&
    typeof value.name === 'string' &&
    Array.isArray(value.tags) &&
    isObject(value.usage)
  return ok ? (value as unknown as StoredSpan) : null
}

/** A score event's data, or null when it is not shaped like a stored score. */
export function parseScore(data: string): StoredScore | null {
  const value = parse(data)
  if (!isObject(value)) return null
  const ok =
    typeof value.traceId === 'string' &&
    typeof value.name === 'string' &&
    typeof value.time === 'number'
  return ok ? (value as unknown as StoredScore) : null
}

/**
 * An anomaly as GET /api/v1/anomalies lists it and the stream pushes it, or null when `value`
 * is not one. What the pages read is checked; a field they never read is left as it came.
 */
export function readAnomaly(value: unknown): Anomaly | null {
  if (!isObject(value)) return null
  const ok =
    typeof value.metric === 'string' &&
    (value.kind === 'bucket' || value.kind === 'span') &&
    isKey(value.key) &&
    isNumber(value.time) &&
    isNumber(value.value) &&
    isNumber(value.expected) &&
    isNumber(value.zScore) &&
    (value.severity === 'warning' || value.severity === 'critical') &&
    Array.isArray(value.spanIds) &&
    value.spanIds.every((id) => typeof id === 'string')
  return ok ? (value as unknown as Anomaly) : null
}

export function parseAnomaly(data: string): Anomaly | null {
  return readAnomaly(parse(data))
}

/** An alert rule's firing or resolving, as the history lists it and the stream pushes it. */
export function readAlertEvent(value: unknown): AlertEvent | null {
  if (!isObject(value)) return null
  const ok =
    isNumber(value.id) &&
    typeof value.ruleId === 'string' &&
    typeof value.ruleName === 'string' &&
    (value.state === 'firing' || value.state === 'resolved') &&
    isNumber(value.time) &&
    typeof value.metric === 'string' &&
    (value.value === null || isNumber(value.value)) &&
    typeof value.condition === 'string' &&
    (value.key === null || isKey(value.key)) &&
    typeof value.message === 'string'
  return ok ? (value as unknown as AlertEvent) : null
}

export function parseAlertEvent(data: string): AlertEvent | null {
  return readAlertEvent(parse(data))
}
