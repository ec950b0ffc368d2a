import type { ErrorCategory, SpanKind } from '../../spec/src/enums.ts'

/** One span as `POST /api/v1/ingest` accepts it: the wire contract v1 of DESIGN.md. */
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
  endpoint: string
  status: 'ok' | 'error'
  error: { type: ErrorCategory; message: string; httpStatus?: number } | null
  usage: WireUsage | null
  costUsd: null
  timeToFirstTokenMs: number | null
  finishReason: string | null
  userId: string
  sessionId: string
  environment: string
  release: string
  tags: string[]
  metadata: Record<string, string | number | boolean>
  input: Array<{ role: string; content: string }> | null
  output: { role: string; content: string } | null
}

/** Token counts: input includes cached tokens, output includes reasoning tokens. */
export interface WireUsage {
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
}

/** User feedback on a trace: a number (`helpfulness`) or a label (`thumbs`). */
export interface WireScore {
  traceId: string
  spanId: string
  name: string
  value: number | null
  label: string | null
  source: 'user'
  comment: string | null
  time: number
}

/** One ingest request body. */
export interface IngestBatch {
  spans: WireSpan[]
  scores: WireScore[]
}

/** Everything one request of the simulated application produced. */
export interface Trace {
  spans: WireSpan[]
  scores: WireScore[]
}
