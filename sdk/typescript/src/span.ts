import { mergeAttributes, type ResolvedAttributes } from './attributes.ts'
import type { Clock } from './clock.ts'
import { spanErrorFrom } from './error-category.ts'
import type { ActiveSpan, SpanError, SpanFields, SpanKind, Usage } from './types.ts'

/** Where ended spans go: the exporter's queue, or nowhere for an unsampled trace. */
export interface SpanSink {
  spanEnded(span: LiveSpan): void
}

export interface SpanInit {
  traceId: string
  spanId: string
  parentSpanId: string | null
  name: string
  kind: SpanKind
  attributes: ResolvedAttributes
  sampled: boolean
  captureContent: boolean
  sink: SpanSink
  clock: Clock
}

/** An error given as `{ type, message, httpStatus }` rather than as something thrown. */
function isSpanError(value: unknown): value is SpanError {
  if (typeof value !== 'object' || value === null || value instanceof Error) return false
  return Object.keys(value).every(
    (key) => key === 'type' || key === 'message' || key === 'httpStatus',
  )
}

/**
 * A span while it runs and until it is serialised. Fields are plain and set in the constructor,
 * so every span has the same hidden class; serialisation to the wire happens later, in the
 * exporter, away from the application's call.
 */
export class LiveSpan implements ActiveSpan {
  readonly traceId: string
  readonly spanId: string
  readonly parentSpanId: string | null
  readonly sampled: boolean
  readonly captureContent: boolean
  name: string
  kind: SpanKind
  attributes: ResolvedAttributes
  readonly startTime: number
  endTime: number | null = null
  provider: string | null = null
  model: string | null = null
  requestModel: string | null = null
  status: 'ok' | 'error' = 'ok'
  error: SpanError | null = null
  usage: Usage | null = null
  costUsd: number | null = null
  timeToFirstTokenMs: number | null = null
  finishReason: string | null = null
  input: unknown = null
  output: unknown = null
  private readonly startMonotonicMs: number
  private readonly sink: SpanSink
  private readonly clock: Clock

  constructor(init: SpanInit) {
    this.traceId = init.traceId
    this.spanId = init.spanId
    this.parentSpanId = init.parentSpanId
    this.name = init.name
    this.kind = init.kind
    this.attributes = init.attributes
    this.sampled = init.sampled
    this.captureContent = init.captureContent
    this.sink = init.sink
    this.clock = init.clock
    this.startTime = init.clock.wallMs()
    this.startMonotonicMs = init.clock.monotonicMs()
  }

  /** Milliseconds since the span started, from the monotonic clock. */
  elapsedMs(): number {
    return this.clock.monotonicMs() - this.startMonotonicMs
  }

  update(fields: SpanFields): void {
    if (this.endTime !== null) return
    if (fields.name !== undefined) this.name = fields.name
    if (fields.provider !== undefined) this.provider = fields.provider
    if (fields.model !== undefined) this.model = fields.model
    if (fields.requestModel !== undefined) this.requestModel = fields.requestModel
    if (fields.usage !== undefined) this.usage = { ...this.usage, ...fields.usage }
    if (fields.costUsd !== undefined) this.costUsd = fields.costUsd
    if (fields.finishReason !== undefined) this.finishReason = fields.finishReason
    if (fields.timeToFirstTokenMs !== undefined) this.timeToFirstTokenMs = fields.timeToFirstTokenMs
    if (fields.input !== undefined && this.captureContent) this.input = fields.input
    if (fields.output !== undefined && this.captureContent) this.output = fields.output
    if (fields.error !== undefined) this.fail(fields.error)
    this.attributes = mergeAttributes(this.attributes, fields)
  }

  /** Records the first streamed token; later calls change nothing. */
  markFirstToken(): void {
    if (this.timeToFirstTokenMs === null) this.timeToFirstTokenMs = this.elapsedMs()
  }

  fail(error: unknown): void {
    this.status = 'error'
    this.error = isSpanError(error) ? { ...error } : spanErrorFrom(error)
  }

  /** Ends the span once and hands it to its sink; later calls change nothing. */
  end(): void {
    if (this.endTime !== null) return
    this.endTime = this.startTime + this.elapsedMs()
    this.sink.spanEnded(this)
  }
}
