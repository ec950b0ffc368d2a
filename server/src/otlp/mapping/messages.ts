import { field, fieldText, parsedJson, record } from './read.ts'

/**
 * The one message shape every dialect's content becomes, so that the same call reads the same
 * in llmlens whichever instrumentation recorded it: OTel GenAI parts, OpenAI-style messages
 * (OpenInference, OpenLLMetry, log events) and the Vercel AI SDK's content parts all land here.
 */
export interface ToolCall {
  id: string | null
  name: string
  /** Parsed when the instrumentation sent JSON text, so all dialects agree. */
  arguments: unknown
}

export interface ChatMessage {
  role: string
  /** The text parts, joined by newlines; null when the message has none. */
  content: string | null
  toolCalls?: ToolCall[]
  /** On a tool result: the call it answers. */
  toolCallId?: string
  name?: string
  /** Parts that are not text (images, files, reasoning, server tools), as sent. */
  parts?: unknown[]
}

const TEXT_PARTS = new Set(['text', 'input_text', 'output_text'])
const CALL_PARTS = new Set(['tool_call', 'tool-call', 'tool_use', 'function_call'])
const RESULT_PARTS = new Set([
  'tool_call_response',
  'tool-result',
  'tool_result',
  'function_call_output',
])

/** JSON text parsed into the value it holds; other values as they are. */
export function parsedArguments(value: unknown): unknown {
  return typeof value === 'string' ? parsedJson(value) : value
}

/** A value as display text: strings as they are, anything else as JSON. */
export function asText(value: unknown): string | null {
  if (value === undefined || value === null) return null
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? null)
}

function firstText(part: Record<string, unknown>, ...names: string[]): string | null {
  for (const name of names) {
    const value = fieldText(part, name)
    if (value !== null) return value
  }
  return null
}

function toolCallOf(part: Record<string, unknown>): ToolCall | null {
  const fn = record(field(part, 'function'))
  const name = firstText(part, 'name', 'toolName') ?? fieldText(fn, 'name')
  if (name === null) return null
  const args =
    field(part, 'arguments') ??
    field(part, 'args') ??
    field(part, 'input') ??
    field(fn, 'arguments')
  return {
    id: firstText(part, 'id', 'toolCallId', 'call_id'),
    name,
    arguments: parsedArguments(args) ?? null,
  }
}

interface Collected {
  texts: string[]
  toolCalls: ToolCall[]
  toolCallId: string | null
  parts: unknown[]
}

function collectPart(raw: unknown, out: Collected): void {
  if (typeof raw === 'string') {
    out.texts.push(raw)
    return
  }
  const part = record(raw)
  const type = fieldText(part, 'type')
  if (part === null || type === null) {
    out.parts.push(raw)
    return
  }
  if (TEXT_PARTS.has(type)) {
    const text = firstText(part, 'content', 'text')
    if (text !== null) out.texts.push(text)
    return
  }
  if (CALL_PARTS.has(type)) {
    const call = toolCallOf(part)
    if (call !== null) out.toolCalls.push(call)
    else out.parts.push(raw)
    return
  }
  if (RESULT_PARTS.has(type)) {
    out.toolCallId ??= firstText(part, 'id', 'toolCallId', 'tool_use_id', 'call_id')
    const result =
      field(part, 'response') ??
      field(part, 'result') ??
      field(part, 'output') ??
      field(part, 'content')
    const text = asText(result)
    if (text !== null) out.texts.push(text)
    return
  }
  out.parts.push(raw)
}

/**
 * One message from any dialect's shape: a bare string, an OTel GenAI message (`parts`), or an
 * OpenAI-style message (`content` as text or parts, `tool_calls`, `tool_call_id`). Null when the
 * value is not a message at all.
 */
export function toMessage(value: unknown, defaultRole: string): ChatMessage | null {
  if (typeof value === 'string') return { role: defaultRole, content: value }
  const raw = record(value)
  if (raw === null) return null

  const collected: Collected = { texts: [], toolCalls: [], toolCallId: null, parts: [] }
  const parts = field(raw, 'parts')
  const content = field(raw, 'content')
  if (Array.isArray(parts)) for (const part of parts) collectPart(part, collected)
  else if (Array.isArray(content)) for (const part of content) collectPart(part, collected)
  else if (content !== undefined && content !== null) collected.texts.push(asText(content) ?? '')
  else {
    // Completion-style results carry their text in `text` (OpenAI's legacy completions, the
    // deprecated `gen_ai.completion` attribute).
    const text = fieldText(raw, 'text')
    if (text !== null) collected.texts.push(text)
  }

  const calls = field(raw, 'tool_calls') ?? field(raw, 'toolCalls')
  if (Array.isArray(calls)) {
    for (const call of calls) {
      const found = record(call)
      const parsed = found === null ? null : toolCallOf(found)
      if (parsed !== null) collected.toolCalls.push(parsed)
    }
  }

  const role = fieldText(raw, 'role') ?? defaultRole
  const message: ChatMessage = {
    role,
    content: collected.texts.length > 0 ? collected.texts.join('\n') : null,
  }
  if (collected.toolCalls.length > 0) message.toolCalls = collected.toolCalls
  const toolCallId =
    collected.toolCallId ?? fieldText(raw, 'tool_call_id') ?? fieldText(raw, 'toolCallId')
  if (toolCallId !== null) message.toolCallId = toolCallId
  const name = fieldText(raw, 'name')
  if (name !== null) message.name = name
  if (collected.parts.length > 0) message.parts = collected.parts
  return message
}

/** Messages from an array of message-like values, or from `{ messages: [...] }`; else null. */
export function toMessages(value: unknown, defaultRole: string): ChatMessage[] | null {
  const list = Array.isArray(value) ? value : field(record(value), 'messages')
  if (!Array.isArray(list)) return null
  const messages: ChatMessage[] = []
  for (const item of list) {
    const message = toMessage(item, defaultRole)
    if (message !== null) messages.push(message)
  }
  return messages.length > 0 ? messages : null
}

/** The wire contract's output: one message as itself, several as a list. */
export function outputOf(messages: readonly ChatMessage[]): ChatMessage | ChatMessage[] {
  return messages.length === 1 ? (messages[0] as ChatMessage) : [...messages]
}
