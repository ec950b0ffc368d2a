import { parseAnthropicToolPolicy, parseAnthropicTools } from './anthropic-tools.ts'
import type { CallContext, Endpoint, ParsedCall, Reply } from './endpoint.ts'
import { ApiError } from './errors.ts'
import {
  countTokens,
  type Generation,
  type GenerationRequest,
  generate,
  jsonChunks,
  textChunks,
} from './generate.ts'
import { contentText, isRecord, type JsonRecord, requireString } from './json.ts'
import { type CachePrefix, prefixKey } from './prompt-cache.ts'
import { randomString } from './random.ts'
import type { StreamEvent } from './sse.ts'

interface MessagesCall extends ParsedCall {
  generation: Omit<GenerationRequest, 'reasoning'>
}

/** `POST /v1/messages` (Anthropic), streamed or not. */
export const anthropicMessages: Endpoint<MessagesCall> = {
  api: 'anthropic',
  cacheGranularityTokens: 1,
  parse: parseMessages,
  reply: replyMessages,
}

function parseMessages(body: JsonRecord): MessagesCall | ApiError {
  const model = requireString(body, 'model')
  if (model instanceof ApiError) return model
  const maxTokens = body.max_tokens
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    return new ApiError(
      'invalid_request',
      'max_tokens: Field required, an integer >= 1',
      'max_tokens',
    )
  }
  const messages = body.messages
  const roleOk = (message: unknown) =>
    isRecord(message) && (message.role === 'user' || message.role === 'assistant')
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(roleOk)) {
    const message = 'messages: at least one message with role "user" or "assistant" is required'
    return new ApiError('invalid_request', message, 'messages')
  }
  const tools = parseAnthropicTools(body.tools)
  if (tools instanceof ApiError) return tools
  const toolPolicy = parseAnthropicToolPolicy(body.tool_choice)
  if (toolPolicy instanceof ApiError) return toolPolicy

  const segments = promptSegments(body, messages as JsonRecord[])
  const promptTokens = segments.reduce((total, segment) => total + segment.tokens, 0)
  const last = messages[messages.length - 1] as JsonRecord
  const endsWithToolResult =
    Array.isArray(last.content) &&
    last.content.some((block) => isRecord(block) && block.type === 'tool_result')

  return {
    model,
    stream: body.stream === true,
    promptTokens,
    contextTokens: promptTokens,
    cachePrefix: cachePrefixOf(model, segments),
    generation: {
      promptText: blocksText(last.content),
      lastTurn: last.role === 'user' ? (endsWithToolResult ? 'tool' : 'user') : 'other',
      tools,
      toolPolicy,
      outputTokensMax: maxTokens,
    },
  }
}

/** A piece of the prompt in Anthropic's cache order: tools, then system, then messages. */
interface Segment {
  value: unknown
  tokens: number
  /** True for a block marked with `cache_control`: the prompt up to here may be cached. */
  breakpoint: boolean
}

function promptSegments(body: JsonRecord, messages: JsonRecord[]): Segment[] {
  const blocks = [
    ...(Array.isArray(body.tools) ? body.tools : []),
    ...(typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : []),
    ...(Array.isArray(body.system) ? body.system : []),
    ...messages.flatMap((message) =>
      Array.isArray(message.content) ? message.content : [{ type: 'text', text: message.content }],
    ),
  ]
  return blocks.map((block) => ({
    value: block,
    tokens: countTokens(
      isRecord(block) && block.type === 'text' ? String(block.text) : JSON.stringify(block),
    ),
    breakpoint: isRecord(block) && isRecord(block.cache_control),
  }))
}

function cachePrefixOf(model: string, segments: Segment[]): CachePrefix | null {
  const lastBreakpoint = segments.findLastIndex((segment) => segment.breakpoint)
  if (lastBreakpoint < 0) return null
  const prefix = segments.slice(0, lastBreakpoint + 1)
  return {
    key: prefixKey(
      model,
      prefix.map((segment) => segment.value),
    ),
    tokens: prefix.reduce((total, segment) => total + segment.tokens, 0),
  }
}

/** Text of a user turn, including the text inside tool results. */
function blocksText(content: unknown): string {
  if (!Array.isArray(content)) return contentText(content)
  return content
    .map((block) => {
      if (!isRecord(block)) return ''
      return block.type === 'tool_result' ? contentText(block.content) : contentText([block])
    })
    .filter((text) => text.length > 0)
    .join('\n')
}

type Block =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }

function replyMessages(call: MessagesCall, context: CallContext): Reply {
  const generation = generate({ ...call.generation, reasoning: false })
  const id = `msg_01${randomString(context.random, 22)}`
  const blocks = contentBlocks(generation, `toolu_01${randomString(context.random, 22)}`)
  const outputTokens =
    generation.outputTokens + (generation.toolCall ? countTokens(firstText(blocks)) : 0)
  const stopReason = generation.toolCall
    ? 'tool_use'
    : generation.truncated
      ? 'max_tokens'
      : 'end_turn'
  const { readTokens, writeTokens } = context.cache
  const inputUsage = {
    input_tokens: call.promptTokens - readTokens - writeTokens,
    cache_creation_input_tokens: writeTokens,
    cache_read_input_tokens: readTokens,
  }
  const message = {
    id,
    type: 'message',
    role: 'assistant',
    model: context.model.respondAs,
    content: blocks,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: {
      ...inputUsage,
      cache_creation: { ephemeral_5m_input_tokens: writeTokens, ephemeral_1h_input_tokens: 0 },
      output_tokens: outputTokens,
      service_tier: 'standard',
    },
  }
  if (!call.stream) return { kind: 'json', body: message }

  // message_start reports one output token, as the real API does before any text exists.
  const startUsage = { ...message.usage, output_tokens: 1 }
  const events: StreamEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: { ...message, content: [], stop_reason: null, usage: startUsage },
      },
    },
  ]
  for (const [index, block] of blocks.entries()) events.push(...blockEvents(block, index))
  // The real API sends one ping right after the first content block opens.
  events.splice(Math.min(2, events.length), 0, { event: 'ping', data: { type: 'ping' } })
  events.push(
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { ...inputUsage, output_tokens: outputTokens },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  )
  return { kind: 'stream', events }
}

function contentBlocks(generation: Generation, toolUseId: string): Block[] {
  if (!generation.toolCall) {
    return generation.text === '' ? [] : [{ type: 'text', text: generation.text }]
  }
  const { name, argumentsJson } = generation.toolCall
  return [
    { type: 'text', text: `I'll use the ${name} tool.` },
    { type: 'tool_use', id: toolUseId, name, input: JSON.parse(argumentsJson) },
  ]
}

function firstText(blocks: Block[]): string {
  const block = blocks[0]
  return block?.type === 'text' ? block.text : ''
}

function blockEvents(block: Block, index: number): StreamEvent[] {
  const opening = block.type === 'text' ? { type: 'text', text: '' } : { ...block, input: {} }
  const deltas =
    block.type === 'text'
      ? textChunks(block.text).map((text) => ({ type: 'text_delta', text }))
      : jsonChunks(JSON.stringify(block.input)).map((json) => ({
          type: 'input_json_delta',
          partial_json: json,
        }))
  return [
    {
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: opening },
    },
    ...deltas.map((delta) => ({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index, delta },
      content: true,
    })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index } },
  ]
}
