import type { StoredSpan } from '../types.ts'

/** Column order of the spans table as the insert statement binds it. */
export const SPAN_COLUMNS = [
  'trace_id',
  'span_id',
  'parent_span_id',
  'name',
  'kind',
  'start_ms',
  'end_ms',
  'duration_ms',
  'provider',
  'model',
  'model_family',
  'request_model',
  'endpoint',
  'status',
  'error_type',
  'error_message',
  'error_http_status',
  'error_raw_type',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'cost_estimated',
  'ttft_ms',
  'finish_reason',
  'user_id',
  'session_id',
  'environment',
  'release',
  'tags',
  'metadata',
] as const

type SqlValue = string | number | null

/** A span as positional insert parameters, in SPAN_COLUMNS order. */
export function spanToRow(span: StoredSpan): SqlValue[] {
  const error = span.error
  const usage = span.usage
  return [
    span.traceId,
    span.spanId,
    span.parentSpanId,
    span.name,
    span.kind,
    span.startTime,
    span.endTime,
    span.durationMs,
    span.provider,
    span.model,
    span.modelFamily,
    span.requestModel,
    span.endpoint,
    span.status,
    error?.type ?? null,
    error?.message ?? null,
    error?.httpStatus ?? null,
    error?.rawType ?? null,
    usage.inputTokens,
    usage.outputTokens,
    usage.cacheReadTokens,
    usage.cacheWriteTokens,
    usage.reasoningTokens,
    span.costUsd,
    span.costEstimated ? 1 : 0,
    span.timeToFirstTokenMs,
    span.finishReason,
    span.userId,
    span.sessionId,
    span.environment,
    span.release,
    span.tags.length > 0 ? JSON.stringify(span.tags) : null,
    isEmpty(span.metadata) ? null : JSON.stringify(span.metadata),
  ]
}

function isEmpty(object: object): boolean {
  for (const _ in object) return false
  return true
}

/** The columns a read selects, spans aliased as `s` and contents as `c`. */
export const SPAN_SELECT = `s.${SPAN_COLUMNS.join(', s.')}`
export const SPAN_SELECT_WITH_CONTENT = `${SPAN_SELECT}, c.input, c.output`

export type SpanRow = Record<(typeof SPAN_COLUMNS)[number], SqlValue> & {
  input?: string | null
  output?: string | null
}

/** A selected row back into the API's span shape. */
export function rowToSpan(row: SpanRow): StoredSpan {
  const errorType = row.error_type as StoredSpan['status'] | null
  return {
    traceId: row.trace_id as string,
    spanId: row.span_id as string,
    parentSpanId: row.parent_span_id as string | null,
    name: row.name as string,
    kind: row.kind as StoredSpan['kind'],
    startTime: row.start_ms as number,
    endTime: row.end_ms as number,
    durationMs: row.duration_ms as number,
    provider: row.provider as string | null,
    model: row.model as string | null,
    modelFamily: row.model_family as string | null,
    requestModel: row.request_model as string | null,
    endpoint: row.endpoint as string | null,
    status: row.status as StoredSpan['status'],
    error:
      errorType === null
        ? null
        : {
            type: row.error_type as NonNullable<StoredSpan['error']>['type'],
            message: row.error_message as string | null,
            httpStatus: row.error_http_status as number | null,
            rawType: row.error_raw_type as string | null,
          },
    usage: {
      inputTokens: row.input_tokens as number | null,
      outputTokens: row.output_tokens as number | null,
      cacheReadTokens: row.cache_read_tokens as number | null,
      cacheWriteTokens: row.cache_write_tokens as number | null,
      reasoningTokens: row.reasoning_tokens as number | null,
    },
    costUsd: row.cost_usd as number | null,
    costEstimated: row.cost_estimated === 1,
    timeToFirstTokenMs: row.ttft_ms as number | null,
    finishReason: row.finish_reason as string | null,
    userId: row.user_id as string | null,
    sessionId: row.session_id as string | null,
    environment: row.environment as string | null,
    release: row.release as string | null,
    tags: row.tags === null ? [] : (JSON.parse(row.tags as string) as string[]),
    metadata:
      row.metadata === null ? {} : (JSON.parse(row.metadata as string) as StoredSpan['metadata']),
    input: parseContent(row.input),
    output: parseContent(row.output),
  }
}

function parseContent(text: string | null | undefined): unknown {
  return text === null || text === undefined ? null : JSON.parse(text)
}
