import { WIRE_LIMITS } from '../limits.ts'
import type { LiveSpan } from '../span.ts'
import type { Metadata, SpanError, Usage, WireScore, WireSpan } from '../types.ts'

const L = WIRE_LIMITS

function cut(value: string | null, lengthMax: number): string | null {
  return value !== null && value.length > lengthMax ? value.slice(0, lengthMax) : value
}

const label = (value: string | null) => cut(value === '' ? null : value, L.labelLengthMax)

function tokens(value: number | null | undefined): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null
  return Math.min(Math.round(value), L.tokensMax)
}

/** Only the counts the provider reported, so "not reported" stays distinct from zero. */
function wireUsage(usage: Usage | null): Usage | null {
  if (usage === null) return null
  const out: Usage = {}
  for (const key of USAGE_KEYS) {
    if (usage[key] !== undefined) out[key] = tokens(usage[key])
  }
  return out
}
const USAGE_KEYS = [
  'inputTokens',
  'outputTokens',
  'cacheReadTokens',
  'cacheWriteTokens',
  'reasoningTokens',
] as const

function wireMetadata(metadata: Readonly<Metadata>): Metadata {
  const out: Metadata = {}
  let keys = 0
  for (const [key, value] of Object.entries(metadata)) {
    if (keys === L.metadataKeysMax) break
    if (key.length > L.metadataKeyLengthMax) continue
    if (typeof value === 'string') out[key] = cut(value, L.metadataValueLengthMax)
    else if (typeof value === 'number') out[key] = Number.isFinite(value) ? value : null
    else if (typeof value === 'boolean' || value === null) out[key] = value
    else out[key] = cut(safeJson(value) ?? String(value), L.metadataValueLengthMax)
    keys++
  }
  return out
}

function wireTags(tags: readonly string[]): string[] {
  return tags
    .filter((tag) => typeof tag === 'string')
    .slice(0, L.tagsPerSpanMax)
    .map((tag) => tag.slice(0, L.tagLengthMax))
}

function wireError(error: SpanError | null): SpanError | null {
  if (error === null) return null
  const out: SpanError = {}
  if (error.type !== undefined) out.type = label(error.type ?? null)
  if (error.message !== undefined) out.message = cut(error.message ?? null, L.errorMessageLengthMax)
  if (error.httpStatus !== undefined) {
    const status = error.httpStatus
    out.httpStatus =
      Number.isInteger(status) && status !== null && status >= 100 && status <= 599 ? status : null
  }
  return out
}

function nonNegative(value: number | null, max: number): number | null {
  return value !== null && Number.isFinite(value) && value >= 0 && value <= max ? value : null
}

/** The contract's span from a finished span: every label cut to its limit, every number checked. */
export function toWireSpan(span: LiveSpan): WireSpan {
  const attributes = span.attributes
  const model = label(span.model ?? span.requestModel)
  const requestModel = label(span.requestModel)
  const wire: WireSpan = {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: cut(span.name, L.nameLengthMax) || 'span',
    kind: span.kind,
    startTime: span.startTime,
    endTime: span.endTime ?? span.startTime,
    provider: label(span.provider),
    model,
    endpoint: label(attributes.endpoint),
    status: span.status,
    error: wireError(span.error),
    usage: wireUsage(span.usage),
    costUsd: nonNegative(span.costUsd, L.costUsdMax),
    timeToFirstTokenMs: nonNegative(span.timeToFirstTokenMs, L.durationMsMax),
    finishReason: label(span.finishReason),
    userId: label(attributes.userId),
    sessionId: label(attributes.sessionId),
    environment: label(attributes.environment),
    release: label(attributes.release),
    tags: wireTags(attributes.tags),
    metadata: wireMetadata(attributes.metadata),
    input: span.input,
    output: span.output,
  }
  if (requestModel !== null && requestModel !== model) {
    // The contract's field order is not significant, but readers of raw payloads expect the
    // request model next to the model.
    return { ...wire, requestModel }
  }
  return wire
}

export function toWireScore(score: WireScore): WireScore {
  return { ...score, comment: cut(score.comment, L.commentLengthMax) }
}

function safeJson(value: unknown): string | null {
  try {
    return JSON.stringify(value) ?? null
  } catch {
    return null
  }
}

/**
 * Serialised content, cut past `lengthMax` with the same visible marker the server uses, so a
 * reader sees that and how much was cut. Content that cannot be serialised (cycles, BigInt)
 * becomes a marker too: losing a prompt is better than losing the call.
 */
export function contentJson(value: unknown, lengthMax: number): string {
  if (value === undefined || value === null) return 'null'
  const json = safeJson(value)
  if (json === null) return JSON.stringify('[llmlens: content could not be serialised as JSON]')
  if (json.length <= lengthMax) return json
  const marker = `…[truncated by llmlens: ${json.length} characters, limit ${lengthMax}]`
  return JSON.stringify(json.slice(0, Math.max(0, lengthMax - marker.length)) + marker)
}

/**
 * One span as JSON text. Content is serialised once, here, and spliced in, so its length is
 * known for truncation without stringifying it twice.
 */
export function spanJson(wire: WireSpan, contentLengthMax: number): string {
  const { input, output, ...rest } = wire
  const head = JSON.stringify(rest)
  const inputJson = contentJson(input, contentLengthMax)
  const outputJson = contentJson(output, contentLengthMax)
  return `${head.slice(0, -1)},"input":${inputJson},"output":${outputJson}}`
}
