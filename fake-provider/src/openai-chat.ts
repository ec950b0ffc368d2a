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
import {
  contentText,
  isRecord,
  type JsonRecord,
  optionalPositiveInteger,
  requireString,
} from './json.ts'
import { parseFunctionTools, parseToolPolicy, systemFingerprint } from './openai-tools.ts'
import { prefixKey } from './prompt-cache.ts'
import { randomString } from './random.ts'
import type { StreamEvent } from './sse.ts'

// OpenAI bills about 4 tokens of framing per message and 3 to prime the reply.
const MESSAGE_OVERHEAD_TOKENS = 4
const REPLY_PRIMING_TOKENS = 3

interface ChatCall extends ParsedCall {
  includeUsage: boolean
  generation: Omit<GenerationRequest, 'reasoning'>
}

/** `POST /v1/chat/completions`, streamed or not. */
export const openaiChat: Endpoint<ChatCall> = {
  api: 'openai',
  cacheGranularityTokens: 128,
  parse: parseChat,
  reply: replyChat,
}

function parseChat(body: JsonRecord): ChatCall | ApiError {
  const model = requireString(body, 'model')
  if (model instanceof ApiError) return model
  const messages = body.messages
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(hasRole)) {
    const message = 'messages: an array of at least one message with a "role" is required'
    return new ApiError('invalid_request', message, 'messages')
  }
  const tools = parseFunctionTools(body.tools, true)
  if (tools instanceof ApiError) return tools
  const toolPolicy = parseToolPolicy(body.tool_choice)
  if (toolPolicy instanceof ApiError) return toolPolicy
  const completionMax = optionalPositiveInteger(body, 'max_completion_tokens')
  if (completionMax instanceof ApiError) return completionMax
  const legacyMax = optionalPositiveInteger(body, 'max_tokens')
  if (legacyMax instanceof ApiError) return legacyMax

  const messageTokens = messages.map(messageTokenCount)
  const toolTokens = tools.length > 0 ? countTokens(JSON.stringify(body.tools)) : 0
  const promptTokens = sum(messageTokens) + toolTokens + REPLY_PRIMING_TOKENS
  const last = messages[messages.length - 1] as JsonRecord
  const prefixTokens = promptTokens - (messageTokens[messageTokens.length - 1] ?? 0)

  return {
    model,
    stream: body.stream === true,
    promptTokens,
    contextTokens: promptTokens,
    cachePrefix: {
      key: prefixKey(model, [body.tools, messages.slice(0, -1)]),
      tokens: prefixTokens,
    },
    includeUsage: isRecord(body.stream_options) && body.stream_options.include_usage === true,
    generation: {
      promptText: contentText(last.content),
      lastTurn: last.role === 'user' ? 'user' : last.role === 'tool' ? 'tool' : 'other',
      tools,
      toolPolicy,
      outputTokensMax: completionMax ?? legacyMax,
    },
  }
}

function hasRole(message: unknown): message is JsonRecord {
  return isRecord(message) && typeof message.role === 'string'
}

function messageTokenCount(message: JsonRecord): number {
  const toolCallTokens = message.tool_calls ? countTokens(JSON.stringify(message.tool_calls)) : 0
  return countTokens(contentText(message.content)) + toolCallTokens + MESSAGE_OVERHEAD_TOKENS
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

function replyChat(call: ChatCall, context: CallContext): Reply {
  const generation = generate({ ...call.generation, reasoning: context.model.reasoning })
  const completionId = `chatcmpl-${randomString(context.random, 29)}`
  const toolCallId = `call_${randomString(context.random, 24)}`
  const head = (object: string) => ({
    id: completionId,
    object,
    created: context.createdSec,
    model: context.model.respondAs,
    service_tier: 'default',
    system_fingerprint: systemFingerprint(context.model.name),
  })
  const usage = chatUsage(call, context, generation)
  const finishReason = generation.toolCall ? 'tool_calls' : generation.truncated ? 'length' : 'stop'

  if (!call.stream) {
    const message = assistantMessage(generation, toolCallId)
    const choice = { index: 0, message, logprobs: null, finish_reason: finishReason }
    return { kind: 'json', body: { ...head('chat.completion'), choices: [choice], usage } }
  }

  // Every chunk carries `usage: null` when usage was asked for; the last one carries the totals.
  const chunk = (delta: JsonRecord, finish: string | null): JsonRecord => ({
    ...head('chat.completion.chunk'),
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(call.includeUsage ? { usage: null } : {}),
  })
  const events: StreamEvent[] = generation.toolCall
    ? toolCallEvents(generation.toolCall, toolCallId, chunk)
    : textEvents(generation.text, chunk)
  events.push({ data: chunk({}, finishReason) })
  if (call.includeUsage) {
    events.push({ data: { ...head('chat.completion.chunk'), choices: [], usage } })
  }
  events.push({ data: '[DONE]' })
  return { kind: 'stream', events }
}

function assistantMessage(generation: Generation, toolCallId: string): JsonRecord {
  if (generation.toolCall === null) {
    return { role: 'assistant', content: generation.text, refusal: null, annotations: [] }
  }
  const { name, argumentsJson } = generation.toolCall
  return {
    role: 'assistant',
    content: null,
    refusal: null,
    annotations: [],
    tool_calls: [
      { id: toolCallId, type: 'function', function: { name, arguments: argumentsJson } },
    ],
  }
}

type ChunkOf = (delta: JsonRecord, finish: string | null) => JsonRecord

function textEvents(text: string, chunk: ChunkOf): StreamEvent[] {
  const events: StreamEvent[] = [
    { data: chunk({ role: 'assistant', content: '', refusal: null }, null) },
  ]
  for (const piece of textChunks(text)) {
    events.push({ data: chunk({ content: piece }, null), content: true })
  }
  return events
}

function toolCallEvents(
  toolCall: { name: string; argumentsJson: string },
  toolCallId: string,
  chunk: ChunkOf,
): StreamEvent[] {
  const opening = {
    index: 0,
    id: toolCallId,
    type: 'function',
    function: { name: toolCall.name, arguments: '' },
  }
  const events: StreamEvent[] = [
    {
      data: chunk({ role: 'assistant', content: null, refusal: null, tool_calls: [opening] }, null),
      content: true,
    },
  ]
  for (const piece of jsonChunks(toolCall.argumentsJson)) {
    const delta = { tool_calls: [{ index: 0, function: { arguments: piece } }] }
    events.push({ data: chunk(delta, null), content: true })
  }
  return events
}

function chatUsage(call: ChatCall, context: CallContext, generation: Generation): JsonRecord {
  return {
    prompt_tokens: call.promptTokens,
    completion_tokens: generation.outputTokens,
    total_tokens: call.promptTokens + generation.outputTokens,
    prompt_tokens_details: { cached_tokens: context.cache.readTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: generation.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
}
