import type { LiveSpan } from '../span.ts'
import type { CallShape, StreamReader } from './call-shape.ts'
import { recordRequest } from './call-shape.ts'
import { type JsonRecord, list, record, text } from './json.ts'
import { openaiUsage } from './openai-usage.ts'

/**
 * The assistant message as the dashboard shows it: role, content, tool calls and a refusal
 * when there is one; the API's always-empty fields (`annotations: []`, `refusal: null`) left out.
 */
function assistantMessage(value: unknown): JsonRecord | null {
  const message = record(value)
  if (message === undefined) return null
  const out: JsonRecord = { role: message.role ?? 'assistant', content: message.content ?? null }
  if (list(message.tool_calls).length > 0) out.tool_calls = message.tool_calls
  if (typeof message.refusal === 'string') out.refusal = message.refusal
  return out
}

function chatResponse(span: LiveSpan, result: unknown): void {
  const completion = record(result)
  if (completion === undefined) return
  const choices = list(completion.choices)
  span.model = text(completion.model) ?? span.model
  span.finishReason = text(record(choices[0])?.finish_reason) ?? null
  span.usage = openaiUsage(completion.usage)
  if (!span.captureContent) return
  const messages = choices.map((choice) => assistantMessage(record(choice)?.message))
  span.output = messages.length === 1 ? messages[0] : messages
}

interface ToolCallDraft {
  id: string
  type: string
  function: { name: string; arguments: string }
}

/**
 * Gathers a streamed completion (choice 0): text, tool calls assembled from their argument
 * fragments, the finish reason, and usage from the final chunk that
 * `stream_options: { include_usage: true }` adds. The SDK never adds that option itself: it
 * changes what the application's loop receives.
 */
class ChatStreamReader implements StreamReader {
  private content = ''
  private readonly toolCalls: ToolCallDraft[] = []
  private finishReason: string | null = null
  private model: string | undefined
  private usage: unknown

  constructor(private readonly span: LiveSpan) {}

  event(value: unknown): void {
    const chunk = record(value)
    if (chunk === undefined) return
    this.model ??= text(chunk.model)
    if (chunk.usage) this.usage = chunk.usage
    for (const entry of list(chunk.choices)) {
      const choice = record(entry)
      if (choice === undefined || (choice.index ?? 0) !== 0) continue
      this.finishReason = text(choice.finish_reason) ?? this.finishReason
      const delta = record(choice.delta)
      if (delta) this.delta(delta)
    }
  }

  private delta(delta: JsonRecord): void {
    const piece = text(delta.content)
    if (piece) {
      this.span.markFirstToken()
      this.content += piece
    }
    for (const entry of list(delta.tool_calls)) {
      const call = record(entry)
      if (call === undefined) continue
      this.span.markFirstToken()
      const index = typeof call.index === 'number' ? call.index : this.toolCalls.length
      const fn = record(call.function)
      const draft = this.toolCalls[index] ?? {
        id: '',
        type: 'function',
        function: { name: '', arguments: '' },
      }
      this.toolCalls[index] = draft
      draft.id = text(call.id) ?? draft.id
      draft.type = text(call.type) ?? draft.type
      draft.function.name += text(fn?.name) ?? ''
      draft.function.arguments += text(fn?.arguments) ?? ''
    }
  }

  end(): void {
    const span = this.span
    span.model = this.model ?? span.model
    span.finishReason = this.finishReason
    span.usage = openaiUsage(this.usage)
    if (!span.captureContent) return
    const toolCalls = this.toolCalls.filter((call) => call !== undefined)
    const output: JsonRecord = {
      role: 'assistant',
      content: this.content === '' && toolCalls.length > 0 ? null : this.content,
    }
    if (toolCalls.length > 0) output.tool_calls = toolCalls
    span.output = output
  }
}

/** `chat.completions.create`, streamed or not. */
export const openaiChat: CallShape = {
  kind: 'llm',
  operation: 'chat',
  request: (span, body) => recordRequest(span, body, 'chat', () => list(body.messages).slice()),
  response: chatResponse,
  stream: (span) => new ChatStreamReader(span),
}
