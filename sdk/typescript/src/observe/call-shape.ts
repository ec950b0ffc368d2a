import type { LiveSpan } from '../span.ts'
import type { SpanKind } from '../types.ts'
import type { JsonRecord } from './json.ts'

/** Reads the events of one streamed call into its span. */
export interface StreamReader {
  event(value: unknown): void
  /** The stream ended, finished or not: write what was gathered into the span. */
  end(): void
}

/** How one API method's requests and results map onto a span. */
export interface CallShape {
  kind: SpanKind
  /** The first word of the span name, as OpenTelemetry GenAI names operations: `chat gpt-4o`. */
  operation: 'chat' | 'embeddings'
  /** What the request says: the requested model and, when content is captured, the input. */
  request(span: LiveSpan, body: JsonRecord): void
  /** A whole result. */
  response(span: LiveSpan, result: unknown): void
  /** A reader for a streamed result; absent for methods that never stream. */
  stream?(span: LiveSpan): StreamReader
}

/** The name, requested model and input every shape records the same way. */
export function recordRequest(
  span: LiveSpan,
  body: JsonRecord,
  operation: string,
  input: () => unknown,
) {
  const model = typeof body.model === 'string' ? body.model : null
  span.name = model ? `${operation} ${model}` : operation
  span.requestModel = model
  if (span.captureContent) span.input = input()
}
