import type { LiveSpan } from '../span.ts'
import { type CallShape, recordRequest, type StreamReader } from './call-shape.ts'
import { type JsonRecord, list, record, text } from './json.ts'
import { openaiUsage } from './openai-usage.ts'

/** Instructions become the system turn, so the input reads like a chat prompt. */
function responsesInput(body: JsonRecord): unknown {
  const instructions = text(body.instructions)
  if (instructions === undefined) return Array.isArray(body.input) ? body.input.slice() : body.input
  const items =
    typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : list(body.input)
  return [{ role: 'system', content: instructions }, ...items]
}

/**
 * The Responses API has a status, not a finish reason; it is mapped to the chat words the
 * dashboard groups by: `stop`, `tool_calls`, or the reason a response is incomplete
 * (`max_output_tokens`).
 */
function finishReason(response: JsonRecord): string | null {
  const status = text(response.status)
  if (status === 'incomplete') return text(record(response.incomplete_details)?.reason) ?? status
  if (status !== 'completed') return status ?? null
  const calledTool = list(response.output).some((item) => record(item)?.type === 'function_call')
  return calledTool ? 'tool_calls' : 'stop'
}

function responsesResult(span: LiveSpan, result: unknown): void {
  const response = record(result)
  if (response === undefined) return
  span.model = text(response.model) ?? span.model
  span.finishReason = finishReason(response)
  span.usage = openaiUsage(response.usage)
  const error = record(response.error)
  if (response.status === 'failed' && error) {
    span.fail({ type: text(error.code) ?? 'unknown', message: text(error.message) ?? null })
  }
  if (span.captureContent) span.output = list(response.output)
}

const FIRST_TOKEN_EVENTS = new Set([
  'response.output_text.delta',
  'response.function_call_arguments.delta',
  'response.refusal.delta',
  'response.reasoning_summary_text.delta',
])
const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/** Reads a Responses stream: the first delta is the first token, the final event has it all. */
class ResponsesStreamReader implements StreamReader {
  constructor(private readonly span: LiveSpan) {}

  event(value: unknown): void {
    const event = record(value)
    const type = text(event?.type)
    if (event === undefined || type === undefined) return
    if (FIRST_TOKEN_EVENTS.has(type)) this.span.markFirstToken()
    else if (type === 'response.created') {
      this.span.model = text(record(event.response)?.model) ?? this.span.model
    } else if (FINAL_EVENTS.has(type)) responsesResult(this.span, event.response)
    else if (type === 'error') {
      this.span.fail({ type: text(event.code) ?? 'unknown', message: text(event.message) ?? null })
    }
  }

  end(): void {}
}

/** `responses.create`, streamed or not. */
export const openaiResponses: CallShape = {
  kind: 'llm',
  operation: 'chat',
  request: (span, body) => recordRequest(span, body, 'chat', () => responsesInput(body)),
  response: responsesResult,
  stream: (span) => new ResponsesStreamReader(span),
}
