import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { ERROR_CATEGORIES, SPAN_KINDS, SPAN_STATUSES } from './enums.ts'
import { MetadataSchema } from './ingest.ts'
import { nullable, stringEnum } from './schema-helpers.ts'

const text = Type.String()
const maybeText = nullable(Type.String())
const maybeNumber = nullable(Type.Number())

/** A span as the server stored it: normalised names, epoch-ms times, cost filled in. */
export const StoredSpanSchema = Type.Object(
  {
    traceId: text,
    spanId: text,
    parentSpanId: maybeText,
    name: text,
    kind: stringEnum(SPAN_KINDS, 'What the span does'),
    startTime: Type.Number({ description: 'Epoch milliseconds' }),
    endTime: Type.Number({ description: 'Epoch milliseconds' }),
    durationMs: Type.Number(),
    provider: maybeText,
    model: maybeText,
    modelFamily: nullable(Type.String({ description: 'The model without its date suffix' })),
    requestModel: maybeText,
    endpoint: maybeText,
    status: stringEnum(SPAN_STATUSES, 'ok or error'),
    error: nullable(
      Type.Object({
        type: stringEnum(ERROR_CATEGORIES, 'The error category'),
        message: maybeText,
        httpStatus: nullable(Type.Integer()),
        rawType: nullable(
          Type.String({ description: "The sender's own type, when not a category" }),
        ),
      }),
    ),
    usage: Type.Object({
      inputTokens: nullable(Type.Integer()),
      outputTokens: nullable(Type.Integer()),
      cacheReadTokens: nullable(Type.Integer()),
      cacheWriteTokens: nullable(Type.Integer()),
      reasoningTokens: nullable(Type.Integer()),
    }),
    costUsd: maybeNumber,
    costEstimated: Type.Boolean({ description: 'True when the server priced the call' }),
    timeToFirstTokenMs: maybeNumber,
    finishReason: maybeText,
    userId: maybeText,
    sessionId: maybeText,
    environment: maybeText,
    release: maybeText,
    tags: Type.Array(text),
    metadata: MetadataSchema,
    input: Type.Unknown(),
    output: Type.Unknown(),
  },
  { $id: 'StoredSpan' },
)

export const StoredScoreSchema = Type.Object(
  {
    id: text,
    traceId: text,
    spanId: maybeText,
    name: text,
    value: maybeNumber,
    label: maybeText,
    source: text,
    comment: maybeText,
    time: Type.Number({ description: 'Epoch milliseconds' }),
  },
  { $id: 'StoredScore' },
)

const percentiles = Type.Object({
  p50: maybeNumber,
  p95: maybeNumber,
  p99: maybeNumber,
  mean: maybeNumber,
  max: maybeNumber,
})

const usageTotals = Type.Object({
  inputTokens: Type.Number(),
  outputTokens: Type.Number(),
  cacheReadTokens: Type.Number(),
  cacheWriteTokens: Type.Number(),
  reasoningTokens: Type.Number(),
})

/** The numbers every group of a summary carries. */
export const MetricsSchema = Type.Object(
  {
    count: Type.Integer(),
    errorCount: Type.Integer(),
    errorRate: Type.Number(),
    latencyMs: percentiles,
    ttftMs: percentiles,
    usage: usageTotals,
    costUsd: Type.Number({ description: 'Sum of known costs' }),
    unpricedCount: Type.Integer({ description: 'LLM calls whose model has no known price' }),
    errorsByType: Type.Record(Type.String(), Type.Integer()),
    scores: Type.Record(
      Type.String(),
      Type.Object({
        count: Type.Integer(),
        mean: maybeNumber,
        labels: Type.Record(text, Type.Integer()),
      }),
    ),
  },
  { $id: 'Metrics' },
)

const percentileMethod = Type.Union([Type.Literal('exact'), Type.Literal('sketch')], {
  description:
    'exact: from every span in range; sketch: from per-minute and per-hour rollups, within 1% ' +
    'of the exact value, used when more spans are in range than an exact read handles quickly',
})

const groupKey = Type.Record(Type.String(), maybeText, {
  description: 'The value of each groupBy dimension for this group',
})

export const SummarySchema = Type.Object(
  {
    from: Type.Number(),
    to: Type.Number(),
    total: MetricsSchema,
    groups: Type.Array(Type.Intersect([Type.Object({ key: groupKey }), MetricsSchema])),
    unpricedModels: Type.Array(
      Type.Object({ provider: maybeText, model: text, count: Type.Integer() }),
    ),
    percentiles: percentileMethod,
  },
  { $id: 'Summary' },
)

const bucketMetrics = Type.Object({
  time: Type.Number({ description: 'Bucket start, epoch milliseconds' }),
  count: Type.Integer(),
  errorCount: Type.Integer(),
  errorRate: Type.Number(),
  latencyMs: percentiles,
  ttftMs: percentiles,
  usage: usageTotals,
  costUsd: Type.Number(),
})

export const TimeseriesSchema = Type.Object(
  {
    from: Type.Number(),
    to: Type.Number(),
    stepMs: Type.Integer(),
    series: Type.Array(Type.Object({ key: groupKey, points: Type.Array(bucketMetrics) })),
    percentiles: percentileMethod,
  },
  { $id: 'Timeseries' },
)

const page = <T extends TSchema>(item: T, id: string) =>
  Type.Object(
    {
      items: Type.Array(item),
      nextCursor: nullable(Type.String({ description: 'Pass as cursor for the next page' })),
    },
    { $id: id },
  )

export const SpansPageSchema = page(StoredSpanSchema, 'SpansPage')
export const ScoresPageSchema = page(StoredScoreSchema, 'ScoresPage')

export const TraceSchema = Type.Object(
  {
    traceId: text,
    spans: Type.Array(StoredSpanSchema, { description: 'Every span, parents before children' }),
    roots: Type.Array(text, { description: 'Span ids without a parent in this trace' }),
    scores: Type.Array(StoredScoreSchema),
  },
  { $id: 'Trace' },
)

export const ErrorsSchema = Type.Object(
  {
    from: Type.Number(),
    to: Type.Number(),
    total: Type.Integer({ description: 'Calls in range' }),
    errorCount: Type.Integer(),
    byType: Type.Array(Type.Object({ type: text, count: Type.Integer() })),
    byModel: Type.Array(
      Type.Object({ model: maybeText, type: text, count: Type.Integer(), rate: Type.Number() }),
    ),
    recent: Type.Array(StoredSpanSchema),
  },
  { $id: 'Errors' },
)

export const ErrorReplySchema = Type.Object(
  { error: Type.String({ description: 'What was wrong, where, and what is allowed' }) },
  { $id: 'ErrorReply' },
)

export type StoredSpan = Static<typeof StoredSpanSchema>
export type StoredScore = Static<typeof StoredScoreSchema>
export type Metrics = Static<typeof MetricsSchema>
export type Summary = Static<typeof SummarySchema>
export type Timeseries = Static<typeof TimeseriesSchema>
export type SpansPage = Static<typeof SpansPageSchema>
export type ScoresPage = Static<typeof ScoresPageSchema>
export type Trace = Static<typeof TraceSchema>
export type ErrorsReport = Static<typeof ErrorsSchema>
