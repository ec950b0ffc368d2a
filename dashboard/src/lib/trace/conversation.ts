import { ownValue } from '../safe/entries.ts'

/** A piece of a message. Every field is plain text; the view renders it as text, never HTML. */
export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'toolCall'; id: string | null; name: string; arguments: string }
  | { kind: 'toolResult'; id: string | null; text: string }
  | { kind: 'other'; label: string; text: string }

export interface Message {
  role: string
  name: string | null
  parts: Part[]
}

// A prompt can be megabytes; the view shows this much of each part and says what it cut.
export const PART_CHARS_MAX = 50_000
const MESSAGES_MAX = 500

const TEXT_TYPES = new Set(['text', 'input_text', 'output_text'])
const CALL_TYPES = new Set(['tool_use', 'tool_call', 'tool-call', 'function_call'])
const RESULT_TYPES = new Set([
  'tool_result',
  'tool-result',
  'function_call_output',
  'tool_call_response',
])
const REASONING_TYPES = new Set(['thinking', 'reasoning', 'redacted_thinking'])
const IMAGE_TYPES = new Set(['image', 'image_url', 'input_image'])

function clip(text: string): string {
  if (text.length <= PART_CHARS_MAX) return text
  const cut = text.length - PART_CHARS_MAX
  return `${text.slice(0, PART_CHARS_MAX)}\n… ${cut.toLocaleString('en-US')} more characters`
}

function stringField(value: unknown, ...names: string[]): string | null {
  for (const name of names) {
    const field = ownValue(value, name)
    if (typeof field === 'string') return field
  }
  return null
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** JSON for display: pretty-printed, and JSON text parsed first so it prints the same way. */
export function prettyJson(value: unknown): string {
  let shown = value
  if (typeof value === 'string') {
    try {
      shown = JSON.parse(value)
    } catch {
      return value
    }
  }
  try {
    return JSON.stringify(shown, null, 2) ?? String(shown)
  } catch {
    return String(shown)
  }
}

/** The text a value holds: a string, the text parts of a part list, else its JSON. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    const texts = value.map((item) =>
      typeof item === 'string' ? item : (stringField(item, 'text') ?? prettyJson(item)),
    )
    return texts.join('\n')
  }
  if (value === null || value === undefined) return ''
  return prettyJson(value)
}

function toolCall(value: unknown): Part {
  const fn = ownValue(value, 'function')
  const name = stringField(value, 'name', 'toolName') ?? stringField(fn, 'name') ?? 'tool'
  const args =
    ownValue(value, 'input') ??
    ownValue(value, 'arguments') ??
    ownValue(value, 'args') ??
    ownValue(fn, 'arguments')
  return {
    kind: 'toolCall',
    id: stringField(value, 'id', 'call_id', 'toolCallId'),
    name: clip(name),
    arguments: clip(args === undefined ? '' : prettyJson(args)),
  }
}

function partOf(value: unknown): Part {
  if (typeof value === 'string') return { kind: 'text', text: clip(value) }
  const type = stringField(value, 'type') ?? ''
  if (TEXT_TYPES.has(type) || (type === '' && typeof ownValue(value, 'text') === 'string')) {
    return { kind: 'text', text: clip(stringField(value, 'text') ?? '') }
  }
  if (CALL_TYPES.has(type)) return toolCall(value)
  if (RESULT_TYPES.has(type)) {
    const result =
      ownValue(value, 'content') ??
      ownValue(value, 'output') ??
      ownValue(value, 'result') ??
      ownValue(value, 'response')
    return {
      kind: 'toolResult',
      id: stringField(value, 'tool_use_id', 'call_id', 'toolCallId', 'id'),
      text: clip(textOf(result)),
    }
  }
  if (REASONING_TYPES.has(type)) {
    const text = stringField(value, 'thinking', 'text') ?? textOf(ownValue(value, 'summary'))
    return { kind: 'other', label: 'reasoning', text: clip(text) }
  }
  if (IMAGE_TYPES.has(type)) {
    const url = ownValue(value, 'image_url')
    const source = stringField(url, 'url') ?? stringField(value, 'url', 'image_url') ?? ''
    // Images are named, not shown: a data: or remote URL from a prompt is not loaded.
    return { kind: 'other', label: 'image', text: clip(source.slice(0, 200)) }
  }
  return { kind: 'other', label: type || 'data', text: clip(prettyJson(value)) }
}

function partsOf(content: unknown): Part[] {
  if (content === null || content === undefined) return []
  if (Array.isArray(content)) return content.map(partOf)
  if (typeof content === 'string') return [{ kind: 'text', text: clip(content) }]
  return [partOf(content)]
}

/** A Responses API item that is not a message: a call or its result, in a message of its own. */
function responseItem(value: Record<string, unknown>, type: string): Message | null {
  if (type === 'function_call') return { role: 'assistant', name: null, parts: [toolCall(value)] }
  if (RESULT_TYPES.has(type)) return { role: 'tool', name: null, parts: [partOf(value)] }
  if (REASONING_TYPES.has(type)) return { role: 'assistant', name: null, parts: [partOf(value)] }
  return null
}

function messageOf(value: unknown, defaultRole: string): Message {
  if (!isRecord(value)) return { role: defaultRole, name: null, parts: partsOf(value) }
  const type = stringField(value, 'type') ?? ''
  const item = responseItem(value, type)
  if (item !== null) return item

  const role = stringField(value, 'role') ?? defaultRole
  const hasContent = Object.hasOwn(value, 'content')
  const looksLikeMessage =
    hasContent ||
    Object.hasOwn(value, 'role') ||
    Object.hasOwn(value, 'tool_calls') ||
    Object.hasOwn(value, 'toolCalls')
  if (!looksLikeMessage) return { role, name: null, parts: [partOf(value)] }

  const resultId = stringField(value, 'tool_call_id', 'toolCallId')
  const content = ownValue(value, 'content')
  const parts: Part[] =
    resultId !== null
      ? [{ kind: 'toolResult', id: resultId, text: clip(textOf(content)) }]
      : partsOf(content)
  for (const key of ['tool_calls', 'toolCalls']) {
    const calls = ownValue(value, key)
    if (Array.isArray(calls)) parts.push(...calls.map(toolCall))
  }
  const extra = ownValue(value, 'parts')
  if (Array.isArray(extra)) parts.push(...extra.map(partOf))
  return { role, name: stringField(value, 'name'), parts }
}

/** The messages a recorded prompt or completion holds, whichever provider's shape it has. */
export function messagesOf(value: unknown, defaultRole: string): Message[] {
  if (value === null || value === undefined) return []
  if (Array.isArray(value)) {
    return value.slice(0, MESSAGES_MAX).map((item) => messageOf(item, defaultRole))
  }
  if (isRecord(value)) {
    const messages = ownValue(value, 'messages')
    if (Array.isArray(messages)) return messagesOf(messages, defaultRole)
    const choices = ownValue(value, 'choices')
    if (Array.isArray(choices)) {
      return messagesOf(
        choices.map((choice) => ownValue(choice, 'message') ?? choice),
        defaultRole,
      )
    }
  }
  return [messageOf(value, defaultRole)]
}
