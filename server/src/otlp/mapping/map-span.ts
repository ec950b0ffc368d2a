import { LIMITS, type Span, type SpanError } from '@llmlens/spec'
import type { OtlpScope, OtlpSpan } from '../model.ts'
import { contentOf } from './content.ts'
import { isModelCall, spanKindOf } from './kind.ts'
import { metadataOf } from './metadata.ts'
import { count, number, structured, text, textList } from './read.ts'
import type { ResourceDefaults } from './resource.ts'
import { usageOf } from './usage.ts'

export type MappedSpan = { ok: true; span: Span } | { ok: false; error: string }

/** Epoch milliseconds below this are before March 1973: nanoseconds divided wrongly, or zero. */
const EPOCH_MS_MIN = 1e11

const TRACE_ID = /^[0-9a-f]{32}$/
const SPAN_ID = /^[0-9a-f]{16}$/
const ZERO_ID = /^0+$/

function clip(value: string | null, lengthMax: number): string | null {
  return value === null || value.length <= lengthMax ? value : value.slice(0, lengthMax)
}

function label(value: string | null): string | null {
  return clip(value, LIMITS.labelLengthMax)
}

function checkIds(span: OtlpSpan): string | null {
  if (!TRACE_ID.test(span.traceId) || ZERO_ID.test(span.traceId)) {
    return `traceId must be 16 bytes, not all zero (actual: "${span.traceId.slice(0, 64)}")`
  }
  if (!SPAN_ID.test(span.spanId) || ZERO_ID.test(span.spanId)) {
    return `spanId must be 8 bytes, not all zero (actual: "${span.spanId.slice(0, 64)}")`
  }
  if (span.parentSpanId !== '' && !SPAN_ID.test(span.parentSpanId)) {
    return `parentSpanId must be empty or 8 bytes (actual: "${span.parentSpanId.slice(0, 64)}")`
  }
  return null
}

function checkTimes(span: OtlpSpan): string | null {
  if (span.startMs < EPOCH_MS_MIN) {
    return `startTimeUnixNano must be nanoseconds since the epoch (actual: ${span.startMs * 1e6})`
  }
  if (span.endMs < EPOCH_MS_MIN) {
    return `endTimeUnixNano must be nanoseconds since the epoch (actual: ${span.endMs * 1e6})`
  }
  return null
}

/**
 * Failed when the status says so, or when an instrumentation set `error.type` and left the
 * status unset. The type comes from `error.type` or the exception event; the category is decided
 * later by the same rules as for native spans.
 */
function errorOf(span: OtlpSpan): SpanError | null {
  const errorType = text(span.attributes, 'error.type')
  if (span.statusCode !== 2 && !(span.statusCode === 0 && errorType !== null)) return null
  const exception = span.events.find((event) => event.name === 'exception')?.attributes
  const exceptionType = exception ? text(exception, 'exception.type') : null
  const exceptionMessage = exception ? text(exception, 'exception.message') : null
  const type = errorType === '_OTHER' ? exceptionType : (errorType ?? exceptionType)
  const httpStatus = count(span.attributes, 'http.response.status_code', 'http.status_code')
  return {
    type: label(type),
    message: clip(span.statusMessage || exceptionMessage, LIMITS.errorMessageLengthMax),
    httpStatus: httpStatus !== null && httpStatus >= 100 && httpStatus <= 599 ? httpStatus : null,
  }
}

/** OTel's output-message schema says `tool_call`; OpenAI and most dialects say `tool_calls`. */
function finishReasonOf(span: OtlpSpan): string | null {
  const a = span.attributes
  const reason =
    textList(a, 'gen_ai.response.finish_reasons')?.[0] ??
    text(a, 'llm.finish_reason', 'gen_ai.completion.0.finish_reason', 'ai.response.finishReason')
  return label(reason === 'tool_call' ? 'tool_calls' : reason)
}

function ttftMsOf(span: OtlpSpan): number | null {
  const seconds = number(span.attributes, 'gen_ai.response.time_to_first_chunk')
  const ms =
    seconds === null
      ? number(span.attributes, 'ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk')
      : seconds * 1000
  return ms !== null && ms >= 0 && ms <= LIMITS.durationMsMax ? ms : null
}

function costUsdOf(span: OtlpSpan): number | null {
  const cost = number(span.attributes, 'llm.cost.total')
  return cost !== null && cost >= 0 && cost <= LIMITS.costUsdMax ? cost : null
}

/** Fields only a model call has; a wrapper that repeats them would count its calls twice. */
function modelFields(span: OtlpSpan): Partial<Span> {
  const a = span.attributes
  const invocation = structured(a, 'llm.invocation_parameters')
  const invokedModel =
    typeof invocation === 'object' && invocation !== null && !Array.isArray(invocation)
      ? (invocation as Record<string, unknown>).model
      : undefined
  const requestModel =
    text(a, 'gen_ai.request.model', 'llm.request.model_name', 'ai.model.id') ??
    (typeof invokedModel === 'string' ? invokedModel : null)
  const responseModel = text(
    a,
    'gen_ai.response.model',
    'llm.response.model_name',
    'llm.model_name',
    'ai.response.model',
    'embedding.model_name',
  )
  return {
    provider: label(
      text(
        a,
        'gen_ai.provider.name',
        'gen_ai.system',
        'llm.provider',
        'llm.system',
        'ai.model.provider',
      ),
    ),
    model: label(responseModel ?? requestModel),
    requestModel: label(requestModel),
    usage: usageOf(a),
    costUsd: costUsdOf(span),
    timeToFirstTokenMs: ttftMsOf(span),
    finishReason: finishReasonOf(span),
  }
}

function tagsOf(span: OtlpSpan): string[] | null {
  const tags = textList(span.attributes, 'tag.tags', 'llmlens.tags')
  if (tags === null) return null
  return tags.filter((tag) => tag.length <= LIMITS.tagLengthMax).slice(0, LIMITS.tagsPerSpanMax)
}

/**
 * One OTLP span as an llmlens wire span, ready for the same validation, normalisation and store
 * as a native one. Ids and times are checked here because their OTLP spelling (bytes,
 * nanoseconds) is what a client needs to hear about; everything else is left to ingest.
 */
export function mapSpan(span: OtlpSpan, resource: ResourceDefaults, scope: OtlpScope): MappedSpan {
  const invalid = checkIds(span) ?? checkTimes(span)
  if (invalid !== null) return { ok: false, error: invalid }

  const a = span.attributes
  const kind = spanKindOf(a)
  const error = errorOf(span)
  const name = span.name || text(a, 'gen_ai.operation.name') || 'span'
  const wire: Span = {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId:
      span.parentSpanId === '' || ZERO_ID.test(span.parentSpanId) ? null : span.parentSpanId,
    name: clip(name, LIMITS.nameLengthMax) as string,
    kind,
    startTime: span.startMs,
    endTime: span.endMs,
    ...(isModelCall(kind) ? modelFields(span) : {}),
    endpoint: label(text(a, 'llmlens.endpoint') ?? resource.endpoint),
    status: error === null ? 'ok' : 'error',
    error,
    userId: label(
      text(
        a,
        'user.id',
        'enduser.id',
        'langfuse.user.id',
        'traceloop.association.properties.user_id',
        'ai.telemetry.metadata.userId',
      ),
    ),
    sessionId: label(
      text(
        a,
        'gen_ai.conversation.id',
        'session.id',
        'langfuse.session.id',
        'traceloop.association.properties.session_id',
        'ai.telemetry.metadata.sessionId',
      ),
    ),
    environment: label(
      text(a, 'deployment.environment.name', 'deployment.environment') ?? resource.environment,
    ),
    release: label(text(a, 'service.version') ?? resource.release),
    tags: tagsOf(span),
    metadata: metadataOf(a, scope, span.kind),
  }
  const content = contentOf(span)
  if (content.input !== undefined) wire.input = content.input
  if (content.output !== undefined) wire.output = content.output
  return { ok: true, span: wire }
}
