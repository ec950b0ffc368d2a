import {
  ERROR_CATEGORIES,
  type ErrorCategory,
  LIMITS,
  type Score,
  ScoreSchema,
  type Span,
  SpanErrorSchema,
  SpanSchema,
  UsageSchema,
} from '@llmlens/spec'
import type { Pricer } from '../pricing/index.ts'
import type { NewSpan, StoredScore } from '../store/types.ts'
import { categoriseError } from './error-category.ts'
import { modelFamily, normaliseModel, normaliseProvider } from './names.ts'
import { toEpochMs } from './times.ts'
import type { FieldError } from './validate.ts'

export type Normalised<T> =
  | { ok: true; value: T; warnings: FieldError[] }
  | { ok: false; errors: FieldError[] }

const CATEGORIES = new Set<string>(ERROR_CATEGORIES)
const PRICED_KINDS = new Set(['llm', 'embedding'])
const KNOWN_FIELDS = {
  span: new Set(Object.keys(SpanSchema.properties)),
  usage: new Set(Object.keys(UsageSchema.properties)),
  error: new Set(Object.keys(SpanErrorSchema.properties)),
  score: new Set(Object.keys(ScoreSchema.properties)),
}

function unknownFields(
  value: object | null | undefined,
  known: Set<string>,
  path: string,
  out: FieldError[],
) {
  if (value === null || value === undefined) return
  for (const key of Object.keys(value)) {
    if (!known.has(key))
      out.push({ path: `${path}.${key}`, message: 'is not a field of the contract; ignored' })
  }
}

const label = (value: string | null | undefined) =>
  value === undefined || value === '' ? null : value

/** Serialised content, truncated with a visible marker past the per-field limit. */
function contentJson(value: unknown, path: string, warnings: FieldError[]): string | null {
  if (value === undefined || value === null) return null
  const json = JSON.stringify(value)
  if (json.length <= LIMITS.contentBytesMax) return json
  warnings.push({
    path,
    message: `is ${json.length} characters serialised; kept the first ${LIMITS.contentBytesMax}`,
  })
  const marker = `…[truncated by llmlens: ${json.length} characters, limit ${LIMITS.contentBytesMax}]`
  return JSON.stringify(json.slice(0, LIMITS.contentBytesMax - marker.length) + marker)
}

/**
 * A schema-valid wire span as the store keeps it: lower-case ids, epoch-ms times, cleaned names,
 * an error category, and a cost when the caller sent none. Returns errors for what the schema
 * cannot express (an end before the start), and warnings for what it fixed or ignored.
 */
export function normaliseSpan(span: Span, path: string, pricer: Pricer): Normalised<NewSpan> {
  const errors: FieldError[] = []
  const warnings: FieldError[] = []
  const startTime = toEpochMs(span.startTime)
  const endTime = toEpochMs(span.endTime)
  if (typeof startTime === 'string') errors.push({ path: `${path}.startTime`, message: startTime })
  if (typeof endTime === 'string') errors.push({ path: `${path}.endTime`, message: endTime })
  if (typeof startTime === 'number' && typeof endTime === 'number' && endTime < startTime) {
    errors.push({
      path: `${path}.endTime`,
      message: `is before startTime (start ${startTime}, end ${endTime}); a span cannot end before it starts`,
    })
  }
  if (errors.length > 0 || typeof startTime !== 'number' || typeof endTime !== 'number') {
    return { ok: false, errors }
  }

  unknownFields(span, KNOWN_FIELDS.span, path, warnings)
  unknownFields(span.usage, KNOWN_FIELDS.usage, `${path}.usage`, warnings)
  unknownFields(span.error, KNOWN_FIELDS.error, `${path}.error`, warnings)

  const model = normaliseModel(span.model)
  const provider = normaliseProvider(span.provider, model)
  const kind = span.kind ?? (model === null ? 'span' : 'llm')
  const status = span.status ?? (span.error ? 'error' : 'ok')
  if (status === 'ok' && span.error) {
    warnings.push({ path: `${path}.error`, message: 'is ignored because status is ok' })
  }
  const usage = {
    inputTokens: span.usage?.inputTokens ?? null,
    outputTokens: span.usage?.outputTokens ?? null,
    cacheReadTokens: span.usage?.cacheReadTokens ?? null,
    cacheWriteTokens: span.usage?.cacheWriteTokens ?? null,
    reasoningTokens: span.usage?.reasoningTokens ?? null,
  }
  const cached = (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0)
  if (usage.inputTokens !== null && cached > usage.inputTokens) {
    warnings.push({
      path: `${path}.usage.inputTokens`,
      message: `is ${usage.inputTokens}, less than its cached tokens (${cached}); inputTokens must include cache reads and writes`,
    })
  }

  const cost = spanCost(span, kind, provider, model, usage, startTime, pricer)
  return {
    ok: true,
    warnings,
    value: {
      traceId: span.traceId.toLowerCase(),
      spanId: span.spanId.toLowerCase(),
      parentSpanId: span.parentSpanId ? span.parentSpanId.toLowerCase() : null,
      name: span.name,
      kind,
      startTime,
      endTime,
      durationMs: endTime - startTime,
      provider,
      model,
      modelFamily: model === null ? null : modelFamily(model),
      requestModel: normaliseModel(span.requestModel),
      endpoint: label(span.endpoint),
      status,
      error: status === 'error' ? spanError(span.error) : null,
      usage,
      costUsd: cost.costUsd,
      costEstimated: cost.estimated,
      timeToFirstTokenMs: span.timeToFirstTokenMs ?? null,
      finishReason: label(span.finishReason),
      userId: label(span.userId),
      sessionId: label(span.sessionId),
      environment: label(span.environment),
      release: label(span.release),
      tags: span.tags ? [...new Set(span.tags)] : [],
      metadata: span.metadata ?? {},
      input: span.input ?? null,
      output: span.output ?? null,
      inputJson: contentJson(span.input, `${path}.input`, warnings),
      outputJson: contentJson(span.output, `${path}.output`, warnings),
    },
  }
}

function spanError(error: Span['error']): NewSpan['error'] {
  const type = error?.type ?? null
  const category: ErrorCategory = categoriseError({
    type,
    message: error?.message ?? null,
    httpStatus: error?.httpStatus ?? null,
  })
  return {
    type: category,
    message: error?.message ?? null,
    httpStatus: error?.httpStatus ?? null,
    rawType: type !== null && !CATEGORIES.has(type) ? type : null,
  }
}

/** The caller's cost wins; otherwise the price table's, for calls that report usage. */
function spanCost(
  span: Span,
  kind: string,
  provider: string | null,
  model: string | null,
  usage: NewSpan['usage'],
  timeMs: number,
  pricer: Pricer,
): { costUsd: number | null; estimated: boolean } {
  if (span.costUsd !== undefined && span.costUsd !== null)
    return { costUsd: span.costUsd, estimated: false }
  if (model === null || !PRICED_KINDS.has(kind) || !span.usage)
    return { costUsd: null, estimated: false }
  const cacheReadTokens = usage.cacheReadTokens ?? 0
  const cacheWriteTokens = usage.cacheWriteTokens ?? 0
  const priced = pricer.price(
    provider,
    model,
    {
      inputTokens: Math.max(usage.inputTokens ?? 0, cacheReadTokens + cacheWriteTokens),
      outputTokens: Math.max(usage.outputTokens ?? 0, usage.reasoningTokens ?? 0),
      cacheReadTokens,
      cacheWriteTokens,
      reasoningTokens: usage.reasoningTokens ?? 0,
    },
    timeMs,
  )
  return { costUsd: priced, estimated: true }
}

/** A schema-valid wire score as stored; its id makes a resend a no-op. */
export function normaliseScore(
  score: Score,
  path: string,
  receivedMs: number,
): Normalised<StoredScore> {
  const errors: FieldError[] = []
  const warnings: FieldError[] = []
  const time = score.time === undefined || score.time === null ? receivedMs : toEpochMs(score.time)
  if (typeof time === 'string') errors.push({ path: `${path}.time`, message: time })
  const value = score.value ?? null
  const scoreLabel = label(score.label)
  if (value === null && scoreLabel === null) {
    errors.push({
      path: `${path}.value`,
      message: 'is required: a score needs a value (number) or a label (string)',
    })
  }
  if (errors.length > 0 || typeof time === 'string') return { ok: false, errors }
  unknownFields(score, KNOWN_FIELDS.score, path, warnings)

  const traceId = score.traceId.toLowerCase()
  const spanId = score.spanId ? score.spanId.toLowerCase() : null
  const source = label(score.source) ?? 'api'
  const id = score.id ?? `${traceId}:${spanId ?? ''}:${score.name}:${source}:${score.time ?? ''}`
  return {
    ok: true,
    warnings,
    value: {
      id,
      traceId,
      spanId,
      name: score.name,
      value,
      label: scoreLabel,
      source,
      comment: score.comment ?? null,
      time,
    },
  }
}
