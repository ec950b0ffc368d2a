import type { Attributes } from '../model.ts'
import { type ChatMessage, toMessage, toMessages } from './messages.ts'
import { field, parsedJson, record, structured } from './read.ts'

/**
 * Content carried as events rather than span attributes: the per-message log events of OTel
 * GenAI before v1.37 (`gen_ai.user.message`, `gen_ai.choice`, …), the v1.37+ event
 * `gen_ai.client.inference.operation.details`, and the span events of v1.26–27
 * (`gen_ai.content.prompt` / `.completion`). Log records and span events both come through here.
 */

export interface ContentPiece {
  side: 'input' | 'output'
  message: ChatMessage
  /** For a choice, its index among the choices; pieces are ordered by it, then by arrival. */
  index: number
}

const ROLE_BY_EVENT: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
}

/** Whether an event of this name can carry a prompt or completion. */
export function isContentEvent(name: string): boolean {
  return (
    name in ROLE_BY_EVENT ||
    name === 'gen_ai.choice' ||
    name === 'gen_ai.client.inference.operation.details' ||
    name === 'gen_ai.content.prompt' ||
    name === 'gen_ai.content.completion'
  )
}

function roleMessage(body: unknown, role: string): ChatMessage {
  const message = toMessage(body ?? {}, role) ?? { role, content: null }
  // gen_ai.tool.message names the call it answers `id`.
  const id = field(record(body), 'id')
  if (role === 'tool' && message.toolCallId === undefined && typeof id === 'string') {
    message.toolCallId = id
  }
  return message
}

function choicePiece(body: unknown): ContentPiece {
  const choice = record(body)
  const message = toMessage(field(choice, 'message') ?? {}, 'assistant') ?? {
    role: 'assistant',
    content: null,
  }
  // Some instrumentations put tool_calls beside `message` rather than inside it.
  const outer = toMessage({ tool_calls: field(choice, 'tool_calls') }, 'assistant')
  if (message.toolCalls === undefined && outer?.toolCalls !== undefined) {
    message.toolCalls = outer.toolCalls
  }
  const index = field(choice, 'index')
  return { side: 'output', message, index: typeof index === 'number' ? index : 0 }
}

/** Input messages of an attribute set: system instructions first, then the conversation. */
export function inputMessagesOf(attributes: Attributes, key: string): ChatMessage[] | null {
  const messages = toMessages(structured(attributes, key), 'user')
  const instructions = structured(attributes, 'gen_ai.system_instructions')
  const system = Array.isArray(instructions)
    ? toMessage({ role: 'system', parts: instructions }, 'system')
    : typeof instructions === 'string'
      ? { role: 'system', content: instructions }
      : null
  if (system === null) return messages
  return [system, ...(messages ?? [])]
}

/**
 * The prompt and completion pieces one event carries. `body` is a log record's body; a span
 * event has none, so its attributes stand in for it.
 */
export function contentPieces(name: string, body: unknown, attributes: Attributes): ContentPiece[] {
  const role = ROLE_BY_EVENT[name]
  if (role !== undefined) return [{ side: 'input', message: roleMessage(body, role), index: 0 }]
  if (name === 'gen_ai.choice') return [choicePiece(body)]

  const pieces: ContentPiece[] = []
  const add = (side: ContentPiece['side'], messages: ChatMessage[] | null) => {
    for (const message of messages ?? []) pieces.push({ side, message, index: pieces.length })
  }
  if (name === 'gen_ai.client.inference.operation.details') {
    add('input', inputMessagesOf(attributes, 'gen_ai.input.messages'))
    add('output', toMessages(structured(attributes, 'gen_ai.output.messages'), 'assistant'))
  } else if (name === 'gen_ai.content.prompt') {
    const prompt = parsedJson(attributes.get('gen_ai.prompt'))
    add('input', toMessages(prompt, 'user') ?? wrap(toMessage(prompt, 'user')))
  } else if (name === 'gen_ai.content.completion') {
    const completion = parsedJson(attributes.get('gen_ai.completion'))
    add('output', toMessages(completion, 'assistant') ?? wrap(toMessage(completion, 'assistant')))
  }
  return pieces
}

function wrap(message: ChatMessage | null): ChatMessage[] | null {
  return message === null ? null : [message]
}

/** A span event's attributes as the body its log-record twin would carry. */
export function eventBody(attributes: Attributes): unknown {
  // Semantic Kernel and others put the whole body, as JSON, in one attribute.
  const whole = attributes.get('gen_ai.event.content')
  if (whole !== undefined) return parsedJson(whole)
  const body: Record<string, unknown> = Object.create(null)
  for (const [key, value] of attributes) body[key] = parsedJson(value)
  return body
}
