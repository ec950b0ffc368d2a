import { type Static, Type } from '@sinclair/typebox'
import { ERROR_CATEGORIES, SPAN_KINDS, SPAN_STATUSES } from './enums.ts'
import { LIMITS } from './limits.ts'
import { nullable, nullableEnum, stringEnum, timestamp } from './schema-helpers.ts'

const traceId = Type.String({
  pattern: '^[0-9a-fA-F]{32}$',
  description: 'W3C trace id: 32 hex characters',
})
const spanId = Type.String({
  pattern: '^[0-9a-fA-F]{16}$',
  description: 'W3C span id: 16 hex characters',
})
const label = (description: string) =>
  nullable(Type.String({ maxLength: LIMITS.labelLengthMax, description }))
const tokens = (description: string) =>
  Type.Optional(nullable(Type.Integer({ minimum: 0, maximum: LIMITS.tokensMax, description })))
const durationMs = (description: string) =>
  nullable(Type.Number({ minimum: 0, maximum: LIMITS.durationMsMax, description }))

export const UsageSchema = Type.Object(
  {
    inputTokens: tokens('All input tokens, cache reads and writes included'),
    outputTokens: tokens('All output tokens, reasoning included'),
    cacheReadTokens: tokens('Input tokens served from the prompt cache'),
    cacheWriteTokens: tokens('Input tokens written to the prompt cache'),
    reasoningTokens: tokens('Output tokens spent on hidden reasoning'),
  },
  { $id: 'Usage', description: 'Token usage of one call' },
)

export const SpanErrorSchema = Type.Object(
  {
    type: Type.Optional(
      label(`A category (${ERROR_CATEGORIES.join(', ')}) or the provider's error type`),
    ),
    message: Type.Optional(nullable(Type.String({ maxLength: LIMITS.errorMessageLengthMax }))),
    httpStatus: Type.Optional(nullable(Type.Integer({ minimum: 100, maximum: 599 }))),
  },
  { $id: 'SpanError', description: 'Why the call failed' },
)

const metadataValue = Type.Unsafe<string | number | boolean | null>({
  type: ['string', 'number', 'boolean', 'null'],
  maxLength: LIMITS.metadataValueLengthMax,
  description: 'A string, number, boolean or null',
})

export const MetadataSchema = Type.Record(Type.String(), metadataValue, {
  maxProperties: LIMITS.metadataKeysMax,
  propertyNames: { maxLength: LIMITS.metadataKeyLengthMax },
  description: 'Flat key-value pairs for filtering and display',
})

export const SpanSchema = Type.Object(
  {
    traceId,
    spanId,
    parentSpanId: Type.Optional(nullable(spanId)),
    name: Type.String({ minLength: 1, maxLength: LIMITS.nameLengthMax }),
    kind: Type.Optional(nullableEnum(SPAN_KINDS, 'What the span does; llm when a model is set')),
    startTime: timestamp('When the span started'),
    endTime: timestamp('When the span ended'),
    provider: Type.Optional(label('Who serves the model: openai, anthropic, …')),
    model: Type.Optional(label('The model that answered (the response model when known)')),
    requestModel: Type.Optional(label('The model the caller asked for, when it differs')),
    endpoint: Type.Optional(label('The application route or feature that made the call')),
    status: Type.Optional(nullableEnum(SPAN_STATUSES, 'ok, or error when error is set')),
    error: Type.Optional(nullable(SpanErrorSchema)),
    usage: Type.Optional(nullable(UsageSchema)),
    costUsd: Type.Optional(
      nullable(
        Type.Number({ minimum: 0, maximum: LIMITS.costUsdMax, description: 'Caller-known cost' }),
      ),
    ),
    timeToFirstTokenMs: Type.Optional(durationMs('Time to the first streamed token')),
    finishReason: Type.Optional(label('Why generation stopped: stop, length, tool_calls, …')),
    userId: Type.Optional(label('The end user')),
    sessionId: Type.Optional(label('The conversation or session')),
    environment: Type.Optional(label('production, staging, …')),
    release: Type.Optional(label('The application version')),
    tags: Type.Optional(
      nullable(
        Type.Array(Type.String({ maxLength: LIMITS.tagLengthMax }), {
          maxItems: LIMITS.tagsPerSpanMax,
        }),
      ),
    ),
    metadata: Type.Optional(nullable(MetadataSchema)),
    input: Type.Optional(Type.Unknown({ description: 'The prompt: messages, text or any JSON' })),
    output: Type.Optional(
      Type.Unknown({ description: 'The completion: a message, text or any JSON' }),
    ),
  },
  { $id: 'Span', description: 'One timed operation: an LLM call, a tool call, an agent step' },
)

export const ScoreSchema = Type.Object(
  {
    id: Type.Optional(
      nullable(
        Type.String({ maxLength: LIMITS.idLengthMax, description: 'Makes resends idempotent' }),
      ),
    ),
    traceId,
    spanId: Type.Optional(nullable(spanId)),
    name: Type.String({ minLength: 1, maxLength: LIMITS.nameLengthMax }),
    value: Type.Optional(nullable(Type.Number({ description: 'A numeric score' }))),
    label: Type.Optional(label('A categorical score: up, down, correct, …')),
    source: Type.Optional(label('Who scored: user, eval, human, … (default api)')),
    comment: Type.Optional(nullable(Type.String({ maxLength: LIMITS.commentLengthMax }))),
    time: Type.Optional(timestamp('When the score was given (default: when received)')),
  },
  { $id: 'Score', description: 'A quality judgement of a trace or span' },
)

export const IngestRequestSchema = Type.Object(
  {
    spans: Type.Optional(Type.Array(SpanSchema, { maxItems: LIMITS.spansPerRequestMax })),
    scores: Type.Optional(Type.Array(ScoreSchema, { maxItems: LIMITS.scoresPerRequestMax })),
  },
  { $id: 'IngestRequest', description: 'POST /api/v1/ingest body' },
)

const itemKind = stringEnum(['span', 'score'] as const, 'Which array the item came from')

export const IngestReplySchema = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0, description: 'Spans and scores durably stored' }),
    rejected: Type.Array(
      Type.Object({
        index: Type.Integer({ minimum: 0 }),
        kind: itemKind,
        path: Type.String({ description: 'The field at fault, e.g. spans[3].traceId' }),
        error: Type.String(),
      }),
    ),
    warnings: Type.Array(
      Type.Object({
        index: Type.Integer({ minimum: 0 }),
        kind: itemKind,
        path: Type.String(),
        warning: Type.String(),
      }),
    ),
  },
  { $id: 'IngestReply', description: 'What happened to each item of an ingest request' },
)

export type Usage = Static<typeof UsageSchema>
export type SpanError = Static<typeof SpanErrorSchema>
export type Span = Static<typeof SpanSchema>
export type Score = Static<typeof ScoreSchema>
export type IngestRequest = Static<typeof IngestRequestSchema>
export type IngestReply = Static<typeof IngestReplySchema>
