import { WIRE_LIMITS } from './limits.ts'
import type { ScoreInput, WireScore } from './types.ts'

const TRACE_ID = /^[0-9a-f]{32}$/i
const SPAN_ID = /^[0-9a-f]{16}$/i

/** The wire score, or what is wrong with the input (said the way the collector would say it). */
export function validScore(input: ScoreInput, nowMs: number): WireScore | string {
  const { traceId, spanId, name, value, label } = input
  if (typeof traceId !== 'string' || !TRACE_ID.test(traceId)) {
    return `score.traceId must be 32 hex characters (actual: ${JSON.stringify(traceId)})`
  }
  if (
    spanId !== undefined &&
    spanId !== null &&
    (typeof spanId !== 'string' || !SPAN_ID.test(spanId))
  ) {
    return `score.spanId must be 16 hex characters or absent (actual: ${JSON.stringify(spanId)})`
  }
  if (typeof name !== 'string' || name.length === 0 || name.length > WIRE_LIMITS.nameLengthMax) {
    return `score.name must be 1 to ${WIRE_LIMITS.nameLengthMax} characters (actual: ${JSON.stringify(name)})`
  }
  const hasValue = typeof value === 'number' && Number.isFinite(value)
  const hasLabel = typeof label === 'string' && label.length > 0
  if (!hasValue && !hasLabel) {
    return `score ${name} needs a value (a finite number) or a label (actual: value ${JSON.stringify(value)}, label ${JSON.stringify(label)})`
  }
  return {
    traceId: traceId.toLowerCase(),
    spanId: spanId ? spanId.toLowerCase() : null,
    name,
    value: hasValue ? value : null,
    label: hasLabel ? label.slice(0, WIRE_LIMITS.labelLengthMax) : null,
    source: input.source ?? null,
    comment: input.comment ?? null,
    time: nowMs,
  }
}
