import type { LiveSpan } from '../span.ts'
import { type CallShape, recordRequest } from './call-shape.ts'
import { count, list, record, text } from './json.ts'

/**
 * The vectors themselves are not recorded: thousands of floats per input tell a reader nothing
 * and would dwarf every other field. Their count and dimensions are kept instead.
 */
function embeddingsResult(span: LiveSpan, result: unknown): void {
  const response = record(result)
  if (response === undefined) return
  span.model = text(response.model) ?? span.model
  const usage = record(response.usage)
  const inputTokens = count(usage?.prompt_tokens)
  span.usage = inputTokens === undefined ? null : { inputTokens }
  if (!span.captureContent) return
  const data = list(response.data)
  const first = record(data[0])?.embedding
  const dimensions = Array.isArray(first) ? first.length : null
  span.output = { embeddings: data.length, dimensions }
}

/** `embeddings.create`. */
export const openaiEmbeddings: CallShape = {
  kind: 'embedding',
  operation: 'embeddings',
  request: (span, body) => recordRequest(span, body, 'embeddings', () => body.input),
  response: embeddingsResult,
}
