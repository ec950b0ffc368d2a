/** What a span does; the contract's `kind`. */
export type SpanKind = 'llm' | 'embedding' | 'tool' | 'retrieval' | 'agent' | 'chain' | 'span'

/** Why a call failed, as one category every provider's errors map onto. */
export type ErrorCategory =
  | 'rate_limit'
  | 'timeout'
  | 'auth'
  | 'invalid_request'
  | 'context_length'
  | 'content_filter'
  | 'server_error'
  | 'network'
  | 'cancelled'
  | 'unknown'

/** Flat key-value pairs for filtering and display. */
export type Metadata = Record<string, string | number | boolean | null>

/**
 * Who, where and which version: set globally (options), per trace (`trace`/`span` options) or
 * per call (`observe(client, attributes)`); the nearest setting wins, tags add up and metadata
 * merges key by key.
 */
export interface Attributes {
  userId?: string
  sessionId?: string
  /** The application route or feature that made the call, e.g. `/api/chat`. */
  endpoint?: string
  environment?: string
  release?: string
  tags?: readonly string[]
  metadata?: Metadata
}

/** Token usage of one call, in the contract's meaning. */
export interface Usage {
  /** All input tokens, cache reads and writes included. */
  inputTokens?: number | null
  /** All output tokens, reasoning included. */
  outputTokens?: number | null
  cacheReadTokens?: number | null
  cacheWriteTokens?: number | null
  reasoningTokens?: number | null
}

/** Why a span failed: a category (or the provider's own type), a message, an HTTP status. */
export interface SpanError {
  type?: ErrorCategory | string | null
  message?: string | null
  httpStatus?: number | null
}

/** A span exactly as it is sent to `POST /api/v1/ingest`; `redact` receives and returns one. */
export interface WireSpan {
  traceId: string
  spanId: string
  parentSpanId: string | null
  name: string
  kind: SpanKind
  startTime: number
  endTime: number
  provider: string | null
  model: string | null
  /** Present only when the model that answered differs from the one asked for. */
  requestModel?: string
  endpoint: string | null
  status: 'ok' | 'error'
  error: SpanError | null
  usage: Usage | null
  costUsd: number | null
  timeToFirstTokenMs: number | null
  finishReason: string | null
  userId: string | null
  sessionId: string | null
  environment: string | null
  release: string | null
  tags: string[]
  metadata: Metadata
  input: unknown
  output: unknown
}

/** A score exactly as it is sent. */
export interface WireScore {
  traceId: string
  spanId: string | null
  name: string
  value: number | null
  label: string | null
  source: string | null
  comment: string | null
  time: number
}

/** What can be set on a span while it runs (see {@link ActiveSpan.update}). */
export interface SpanFields extends Attributes {
  name?: string
  provider?: string
  model?: string
  requestModel?: string
  usage?: Usage
  /** A cost you know; otherwise the server prices the call from its price table. */
  costUsd?: number
  finishReason?: string
  timeToFirstTokenMs?: number
  input?: unknown
  output?: unknown
  /** Marks the span failed: an `Error` (categorised like provider errors) or a `SpanError`. */
  error?: unknown
}

/** The span a `trace`, `span` or `wrap` callback runs in. */
export interface ActiveSpan {
  readonly traceId: string
  readonly spanId: string
  /**
   * Sets fields of this span; later calls overwrite earlier ones field by field.
   *
   * @example
   * await span('search', { kind: 'retrieval' }, async (s) => {
   *   const hits = await index.search(query)
   *   s.update({ output: hits.map((hit) => hit.id), metadata: { hits: hits.length } })
   * })
   */
  update(fields: SpanFields): void
}

/** Options of `trace` and `span`. */
export interface SpanOptions extends Attributes {
  kind?: SpanKind
  /** The parent, where no async context carries it (browsers, edge runtimes without it). */
  parent?: ActiveSpan
  input?: unknown
  /** Overrides `captureContent` for this span and its children. */
  captureContent?: boolean
}

/** Options of `observe(client, options)`: attributes for every call through this client. */
export interface ObserveOptions extends Attributes {
  /** The parent of every call made through this client, where no async context carries it. */
  parent?: ActiveSpan
  /** Overrides `captureContent` for calls through this client. */
  captureContent?: boolean
  /** The provider to record, for OpenAI-compatible APIs of other vendors (`groq`, `vllm`, …). */
  provider?: string
}

/** A function of any shape (every function is assignable to it); `wrap` keeps its exact type. */
export type AnyFunction = (...args: never[]) => unknown

/** Options of `wrap(fn, options)`. */
export interface WrapOptions<F extends AnyFunction> extends SpanOptions {
  /** The span name; defaults to the function's name. */
  name?: string
  /** What to record as input; defaults to the arguments (the only one, when there is one). */
  input?: (...args: Parameters<F>) => unknown
  /** Reads what the result tells into the span: its model, usage, output. */
  onResult?: (result: Awaited<ReturnType<F>>, span: ActiveSpan) => void
}

/** A score of a trace or a span: a number (`value`) or a category (`label`). */
export interface ScoreInput {
  traceId: string
  /** Scores one span of the trace; leave out to score the whole trace. */
  spanId?: string | null
  name: string
  value?: number | null
  label?: string | null
  comment?: string | null
  /** Who scored: `user`, `eval`, `human`, … (the server's default is `api`). */
  source?: string | null
}

/** What went wrong inside the SDK; it reaches `onError` and never the application. */
export interface LlmlensErrorEvent {
  kind:
    | 'export-failed'
    | 'export-rejected'
    | 'redact-failed'
    | 'instrumentation-failed'
    | 'invalid-score'
    | 'hook-failed'
  message: string
  /** How many spans and scores the event concerns (a failed batch, rejected items). */
  itemCount?: number
  cause?: unknown
}

/** Counters of the exporter since it started. */
export interface ExporterStats {
  /** Spans and scores waiting to be sent. */
  queued: number
  /** Dropped because the queue was full (the oldest go first) or the SDK was shut down. */
  dropped: number
  /** Sent and acknowledged by the collector. */
  exported: number
  /** Lost with a batch that could not be delivered within its deadline. */
  failed: number
  /** Delivered but refused by the collector (each refusal goes to `onError`). */
  rejected: number
  /** Not recorded because their trace was not sampled. */
  sampledOut: number
}
