import type { LiveSpan } from '../span.ts'
import type { Usage } from '../types.ts'
import { type CallShape, recordRequest, type StreamReader } from './call-shape.ts'
import { count, type JsonRecord, list, record, text } from './json.ts'

/**
 * Anthropic usage in the contract's terms. Anthropic's `input_tokens` counts only the tokens
 * after the last cache breakpoint; cache reads and writes are reported beside it, so the
 * contract's `inputTokens` (all input) is their sum. Reasoning ("thinking") tokens are part of
 * `output_tokens` and not reported apart, so `reasoningTokens` stays absent.
 */
export function anthropicUsage(value: unknown): Usage | null {
  const usage = record(value)
  if (usage === undefined) return null
  const uncached = count(usage.input_tokens)
  const cacheRead = count(usage.cache_read_input_tokens)
  const cacheWrite = count(usage.cache_creation_input_tokens)
  const out: Usage = {
    inputTokens: uncached === undefined ? null : uncached + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: count(usage.output_tokens) ?? null,
  }
  if (cacheRead !== undefined) out.cacheReadTokens = cacheRead
  if (cacheWrite !== undefined) out.cacheWriteTokens = cacheWrite
  return out
}

function messagesInput(body: JsonRecord): unknown {
  const messages = list(body.messages)
  return body.system === undefined
    ? messages.slice()
    : [{ role: 'system', content: body.system }, ...messages]
}

function messageResult(span: LiveSpan, result: unknown): void {
  const message = record(result)
  if (message === undefined) return
  span.model = text(message.model) ?? span.model
  span.finishReason = text(message.stop_reason) ?? null
  span.usage = anthropicUsage(message.usage)
  if (span.captureContent) span.output = { role: 'assistant', content: message.content ?? [] }
}

/**
 * Rebuilds the message from its events: `message_start` has the model and the input usage,
 * content blocks grow by deltas (text, tool input as JSON fragments, thinking), and
 * `message_delta` has the stop reason and the final usage.
 */
class MessagesStreamReader implements StreamReader {
  private readonly blocks: JsonRecord[] = []
  private readonly partialJson = new Map<number, string>()
  private usage: JsonRecord = {}
  private stopReason: string | null = null
  private model: string | undefined

  constructor(private readonly span: LiveSpan) {}

  event(value: unknown): void {
    const event = record(value)
    if (event === undefined) return
    const index = typeof event.index === 'number' ? event.index : -1
    switch (event.type) {
      case 'message_start': {
        const message = record(event.message)
        this.model = text(message?.model)
        this.usage = { ...record(message?.usage) }
        return
      }
      case 'content_block_start':
        this.blocks[index] = { ...record(event.content_block) }
        return
      case 'content_block_delta':
        this.span.markFirstToken()
        this.delta(index, record(event.delta))
        return
      case 'content_block_stop':
        this.closeBlock(index)
        return
      case 'message_delta':
        this.stopReason = text(record(event.delta)?.stop_reason) ?? this.stopReason
        this.usage = { ...this.usage, ...record(event.usage) }
        return
    }
  }

  private delta(index: number, delta: JsonRecord | undefined): void {
    const block = this.blocks[index]
    if (block === undefined || delta === undefined) return
    if (delta.type === 'text_delta')
      block.text = `${text(block.text) ?? ''}${text(delta.text) ?? ''}`
    else if (delta.type === 'thinking_delta') {
      block.thinking = `${text(block.thinking) ?? ''}${text(delta.thinking) ?? ''}`
    } else if (delta.type === 'input_json_delta') {
      this.partialJson.set(
        index,
        (this.partialJson.get(index) ?? '') + (text(delta.partial_json) ?? ''),
      )
    }
  }

  private closeBlock(index: number): void {
    const json = this.partialJson.get(index)
    const block = this.blocks[index]
    if (json === undefined || block === undefined) return
    try {
      block.input = JSON.parse(json)
    } catch {
      block.input = json
    }
  }

  end(): void {
    const span = this.span
    span.model = this.model ?? span.model
    span.finishReason = this.stopReason
    span.usage = anthropicUsage(this.usage)
    if (span.captureContent) {
      span.output = {
        role: 'assistant',
        content: this.blocks.filter((block) => block !== undefined),
      }
    }
  }
}

/** `messages.create` (and `beta.messages.create`), streamed or not. */
export const anthropicMessages: CallShape = {
  kind: 'llm',
  operation: 'chat',
  request: (span, body) => recordRequest(span, body, 'chat', () => messagesInput(body)),
  response: messageResult,
  stream: (span) => new MessagesStreamReader(span),
}
