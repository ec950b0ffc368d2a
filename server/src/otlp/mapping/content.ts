import type { Attributes, OtlpSpan, OtlpValue } from '../model.ts'
import {
  type ContentPiece,
  contentPieces,
  eventBody,
  inputMessagesOf,
  isContentEvent,
} from './content-events.ts'
import { flattenedList, nestedList } from './flattened.ts'
import { type ChatMessage, outputOf, toMessage, toMessages } from './messages.ts'
import { field, parsedJson, record, structured, text } from './read.ts'

/** A span's prompt and completion in the wire contract's terms; undefined where none was sent. */
export interface Content {
  input: unknown
  output: unknown
}

/**
 * Attribute keys and prefixes that carry content. They become `input`/`output`, never metadata:
 * metadata is for filtering, and prompts would crowd out everything else.
 */
export const CONTENT_KEYS = new Set([
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.definitions',
  'gen_ai.prompt',
  'gen_ai.completion',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'input.value',
  'output.value',
  'llm.invocation_parameters',
  'ai.prompt',
  'ai.prompt.messages',
  'ai.prompt.tools',
  'ai.response.text',
  'ai.response.toolCalls',
  'ai.response.object',
  'ai.toolCall.args',
  'ai.toolCall.result',
  'ai.values',
  'ai.embeddings',
  'traceloop.entity.input',
  'traceloop.entity.output',
])
export const CONTENT_PREFIXES = [
  'gen_ai.prompt.',
  'gen_ai.completion.',
  'llm.input_messages.',
  'llm.output_messages.',
  'llm.prompts.',
  'llm.choices.',
  'llm.tools.',
  'llm.request.functions.',
  'retrieval.documents.',
  'embedding.embeddings.',
]

/** OpenInference's flattened message (`message.role`, `message.contents.0.…`) as a message. */
function openInferenceMessage(fields: Map<string, OtlpValue>, role: string): ChatMessage | null {
  const contents = nestedList(fields, 'message.contents.').map((part) => ({
    type: part.get('message_content.type') ?? 'text',
    text: part.get('message_content.text'),
    url: part.get('message_content.image.image.url'),
  }))
  const toolCalls = nestedList(fields, 'message.tool_calls.').map((call) => ({
    id: call.get('tool_call.id'),
    function: {
      name: call.get('tool_call.function.name'),
      arguments: call.get('tool_call.function.arguments'),
    },
  }))
  return toMessage(
    {
      role: fields.get('message.role') ?? role,
      content: contents.length > 0 ? contents : fields.get('message.content'),
      tool_calls: toolCalls,
      tool_call_id: fields.get('message.tool_call_id'),
      name: fields.get('message.name'),
    },
    role,
  )
}

/** OpenLLMetry's legacy flattened message (`role`, `content`, `tool_calls.0.name`, …). */
function openLlmetryMessage(fields: Map<string, OtlpValue>, role: string): ChatMessage | null {
  const toolCalls = nestedList(fields, 'tool_calls.').map((call) => ({
    id: call.get('id'),
    name: call.get('name'),
    arguments: call.get('arguments'),
  }))
  return toMessage(
    {
      role: fields.get('role') ?? role,
      content: fields.get('content'),
      tool_calls: toolCalls,
      tool_call_id: fields.get('tool_call_id'),
    },
    role,
  )
}

function flattenedMessages(
  attributes: Attributes,
  prefix: string,
  role: string,
  read: (fields: Map<string, OtlpValue>, role: string) => ChatMessage | null,
): ChatMessage[] | null {
  const list = flattenedList(attributes, prefix)
  if (list === null) return null
  const messages = list.map((fields) => read(fields, role)).filter((m) => m !== null)
  return messages.length > 0 ? messages : null
}

/** The Vercel AI SDK's `ai.prompt` (`{system, prompt, messages}`) or `ai.prompt.messages`. */
function vercelInput(attributes: Attributes): ChatMessage[] | null {
  const messages = toMessages(structured(attributes, 'ai.prompt.messages'), 'user')
  if (messages !== null) return messages
  const prompt = record(structured(attributes, 'ai.prompt'))
  if (prompt === null) return null
  const system = field(prompt, 'system')
  const out: ChatMessage[] = []
  if (typeof system === 'string') out.push({ role: 'system', content: system })
  out.push(...(toMessages(field(prompt, 'messages'), 'user') ?? []))
  const single = field(prompt, 'prompt')
  if (typeof single === 'string') out.push({ role: 'user', content: single })
  return out.length > 0 ? out : null
}

function vercelOutput(attributes: Attributes): ChatMessage | null {
  const responseText = text(attributes, 'ai.response.text', 'ai.response.object')
  const calls = structured(attributes, 'ai.response.toolCalls')
  if (responseText === null && !Array.isArray(calls)) return null
  return toMessage({ role: 'assistant', content: responseText, tool_calls: calls }, 'assistant')
}

/** An OpenAI-style response body (`choices[].message`), as OpenInference's output.value has. */
function choicesOf(value: unknown): ChatMessage[] | null {
  const choices = field(record(value), 'choices')
  if (!Array.isArray(choices)) return null
  const messages = choices
    .map((choice) => {
      const found = record(choice)
      return toMessage(field(found, 'message') ?? field(found, 'text'), 'assistant')
    })
    .filter((m) => m !== null)
  return messages.length > 0 ? messages : null
}

/** Content the span's own events carry; see content-events.ts. */
function eventContent(span: OtlpSpan): { input: ChatMessage[]; output: ChatMessage[] } {
  const pieces: ContentPiece[] = []
  for (const event of span.events) {
    if (!isContentEvent(event.name)) continue
    pieces.push(...contentPieces(event.name, eventBody(event.attributes), event.attributes))
  }
  const side = (name: ContentPiece['side']) =>
    pieces
      .filter((piece) => piece.side === name)
      .sort((a, b) => a.index - b.index)
      .map((piece) => piece.message)
  return { input: side('input'), output: side('output') }
}

function firstOf<T>(...candidates: (() => T | null | undefined)[]): T | undefined {
  for (const candidate of candidates) {
    const value = candidate()
    if (value !== null && value !== undefined) return value
  }
  return undefined
}

/**
 * A span's input and output, from the first dialect that carries them: OTel GenAI attributes,
 * OpenInference's flattened messages, OpenLLMetry's legacy flattened prompt, the deprecated
 * single attributes and span events, the Vercel AI SDK, then tool arguments and raw values.
 */
export function contentOf(span: OtlpSpan): Content {
  const a = span.attributes
  const events = eventContent(span)

  const inputMessages = firstOf(
    () => inputMessagesOf(a, 'gen_ai.input.messages'),
    () => flattenedMessages(a, 'llm.input_messages.', 'user', openInferenceMessage),
    () => flattenedMessages(a, 'gen_ai.prompt.', 'user', openLlmetryMessage),
    () => toMessages(structured(a, 'gen_ai.prompt'), 'user'),
    () => (events.input.length > 0 ? events.input : null),
    () => vercelInput(a),
    () => toMessages(structured(a, 'input.value'), 'user'),
  )
  const input =
    inputMessages ??
    firstOf(
      () => structured(a, 'gen_ai.tool.call.arguments', 'ai.toolCall.args'),
      () => structured(a, 'traceloop.entity.input', 'input.value'),
    )

  const outputMessages = firstOf(
    () => toMessages(structured(a, 'gen_ai.output.messages'), 'assistant'),
    () => flattenedMessages(a, 'llm.output_messages.', 'assistant', openInferenceMessage),
    () => flattenedMessages(a, 'gen_ai.completion.', 'assistant', openLlmetryMessage),
    () => completionAttribute(a),
    () => (events.output.length > 0 ? events.output : null),
    () => {
      const message = vercelOutput(a)
      return message === null ? null : [message]
    },
    () => choicesOf(structured(a, 'output.value')),
  )
  const output =
    outputMessages !== undefined
      ? outputOf(outputMessages)
      : firstOf(
          () => structured(a, 'gen_ai.tool.call.result', 'ai.toolCall.result'),
          () => structured(a, 'traceloop.entity.output', 'output.value'),
        )
  return { input, output }
}

/** The deprecated `gen_ai.completion`: JSON messages, a `{text}` result, or plain text. */
function completionAttribute(attributes: Attributes): ChatMessage[] | null {
  const completion = parsedJson(attributes.get('gen_ai.completion'))
  if (completion === undefined || completion === null || completion === '') return null
  const messages = toMessages(completion, 'assistant')
  if (messages !== null) return messages
  const message = toMessage(completion, 'assistant')
  return message === null ? null : [message]
}
