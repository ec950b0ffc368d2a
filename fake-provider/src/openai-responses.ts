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
import { parseFunctionTools, parseToolPolicy } from './openai-tools.ts'
import { prefixKey } from './prompt-cache.ts'
import { randomHex, randomString } from './random.ts'
import type { StreamEvent } from './sse.ts'

const ITEM_OVERHEAD_TOKENS = 4

interface ResponsesCall extends ParsedCall {
  instructions: string | null
  maxOutputTokens: number | null
  toolsJson: unknown[]
  toolChoice: unknown
  generation: Omit<GenerationRequest, 'reasoning'>
}

/** `POST /v1/responses` (the OpenAI Responses API), streamed or not. */
export const openaiResponses: Endpoint<ResponsesCall> = {
  api: 'openai',
  cacheGranularityTokens: 128,
  parse: parseResponses,
  reply: replyResponses,
}

function parseResponses(body: JsonRecord): ResponsesCall | ApiError {
  const model = requireString(body, 'model')
  if (model instanceof ApiError) return model
  const items =
    typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input
  if (!Array.isArray(items) || items.length === 0 || !items.every(isRecord)) {
    const message = 'input: a string or an array of at least one input item is required'
    return new ApiError('invalid_request', message, 'input')
  }
  const tools = parseFunctionTools(body.tools, false)
  if (tools instanceof ApiError) return tools
  const toolPolicy = parseToolPolicy(body.tool_choice)
  if (toolPolicy instanceof ApiError) return toolPolicy
  const maxOutputTokens = optionalPositiveInteger(body, 'max_output_tokens')
  if (maxOutputTokens instanceof ApiError) return maxOutputTokens

  const instructions = typeof body.instructions === 'string' ? body.instructions : null
  const itemTokens = items.map((item) => countTokens(itemText(item)) + ITEM_OVERHEAD_TOKENS)
  const fixedTokens =
    countTokens(instructions ?? '') +
    (tools.length > 0 ? countTokens(JSON.stringify(body.tools)) : 0)
  const promptTokens = fixedTokens + itemTokens.reduce((total, tokens) => total + tokens, 0)
  const last = items[items.length - 1] as JsonRecord

  return {
    model,
    stream: body.stream === true,
    promptTokens,
    contextTokens: promptTokens,
    cachePrefix: {
      key: prefixKey(model, [instructions, body.tools, items.slice(0, -1)]),
      tokens: promptTokens - (itemTokens[itemTokens.length - 1] ?? 0),
    },
    instructions,
    maxOutputTokens,
    toolsJson: Array.isArray(body.tools) ? body.tools : [],
    toolChoice: body.tool_choice ?? 'auto',
    generation: {
      promptText: itemText(last),
      lastTurn:
        last.type === 'function_call_output' ? 'tool' : last.role === 'user' ? 'user' : 'other',
      tools,
      toolPolicy,
      outputTokensMax: maxOutputTokens,
    },
  }
}

/** The text an input item contributes: message content, a tool's output or a call's arguments. */
function itemText(item: JsonRecord): string {
  if (item.type === 'function_call_output') {
    return typeof item.output === 'string' ? item.output : contentText(item.output)
  }
  if (item.type === 'function_call') return `${item.name ?? ''} ${item.arguments ?? ''}`
  return contentText(item.content)
}

/** A stream event whose payload is still open for the type and sequence number. */
type DataEvent = Omit<StreamEvent, 'data'> & { data: JsonRecord }

interface OutputIds {
  response: string
  reasoning: string
  message: string
  functionCall: string
  callId: string
}

function replyResponses(call: ResponsesCall, context: CallContext): Reply {
  const generation = generate({ ...call.generation, reasoning: context.model.reasoning })
  const ids: OutputIds = {
    response: `resp_${randomHex(context.random, 48)}`,
    reasoning: `rs_${randomHex(context.random, 48)}`,
    message: `msg_${randomHex(context.random, 48)}`,
    functionCall: `fc_${randomHex(context.random, 48)}`,
    callId: `call_${randomString(context.random, 24)}`,
  }
  const output = outputItems(generation, ids)
  const final = responseObject(call, context, ids.response, {
    status: generation.truncated ? 'incomplete' : 'completed',
    output,
    usage: responsesUsage(call, context, generation),
    incomplete_details: generation.truncated ? { reason: 'max_output_tokens' } : null,
  })
  if (!call.stream) return { kind: 'json', body: final }

  const started = responseObject(call, context, ids.response, {
    status: 'in_progress',
    output: [],
    usage: null,
    incomplete_details: null,
  })
  const events: DataEvent[] = [
    { event: 'response.created', data: { response: started } },
    { event: 'response.in_progress', data: { response: started } },
  ]
  output.forEach((item, outputIndex) => {
    events.push(...itemEvents(item, outputIndex))
  })
  const closing = generation.truncated ? 'response.incomplete' : 'response.completed'
  events.push({ event: closing, data: { response: final } })

  // Every Responses event names its type in the payload and carries a running sequence number.
  const numbered = events.map((event, sequenceNumber) => ({
    ...event,
    data: { type: event.event, sequence_number: sequenceNumber, ...event.data },
  }))
  return { kind: 'stream', events: numbered }
}

function outputItems(generation: Generation, ids: OutputIds): JsonRecord[] {
  const items: JsonRecord[] = []
  if (generation.reasoningTokens > 0) {
    items.push({ id: ids.reasoning, type: 'reasoning', summary: [] })
  }
  if (generation.toolCall) {
    items.push({
      id: ids.functionCall,
      type: 'function_call',
      status: 'completed',
      arguments: generation.toolCall.argumentsJson,
      call_id: ids.callId,
      name: generation.toolCall.name,
    })
    return items
  }
  items.push({
    id: ids.message,
    type: 'message',
    status: generation.truncated ? 'incomplete' : 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text: generation.text, annotations: [], logprobs: [] }],
  })
  return items
}

function itemEvents(item: JsonRecord, outputIndex: number): DataEvent[] {
  const itemId = item.id
  if (item.type === 'message') {
    const part = (item.content as JsonRecord[])[0] ?? {}
    const text = typeof part.text === 'string' ? part.text : ''
    const at = { item_id: itemId, output_index: outputIndex, content_index: 0 }
    const added = { ...item, status: 'in_progress', content: [] }
    return [
      { event: 'response.output_item.added', data: { output_index: outputIndex, item: added } },
      { event: 'response.content_part.added', data: { ...at, part: { ...part, text: '' } } },
      ...textChunks(text).map((delta) => ({
        event: 'response.output_text.delta',
        data: { ...at, delta, logprobs: [] },
        content: true,
      })),
      { event: 'response.output_text.done', data: { ...at, text, logprobs: [] } },
      { event: 'response.content_part.done', data: { ...at, part } },
      { event: 'response.output_item.done', data: { output_index: outputIndex, item } },
    ]
  }
  if (item.type === 'function_call') {
    const argumentsJson = String(item.arguments)
    const at = { item_id: itemId, output_index: outputIndex }
    const added = { ...item, status: 'in_progress', arguments: '' }
    return [
      { event: 'response.output_item.added', data: { output_index: outputIndex, item: added } },
      ...jsonChunks(argumentsJson).map((delta) => ({
        event: 'response.function_call_arguments.delta',
        data: { ...at, delta },
        content: true,
      })),
      {
        event: 'response.function_call_arguments.done',
        data: { ...at, name: item.name, arguments: argumentsJson },
      },
      { event: 'response.output_item.done', data: { output_index: outputIndex, item } },
    ]
  }
  return [
    { event: 'response.output_item.added', data: { output_index: outputIndex, item } },
    { event: 'response.output_item.done', data: { output_index: outputIndex, item } },
  ]
}

function responseObject(
  call: ResponsesCall,
  context: CallContext,
  id: string,
  state: {
    status: string
    output: JsonRecord[]
    usage: JsonRecord | null
    incomplete_details: unknown
  },
): JsonRecord {
  return {
    id,
    object: 'response',
    created_at: context.createdSec,
    status: state.status,
    error: null,
    incomplete_details: state.incomplete_details,
    instructions: call.instructions,
    max_output_tokens: call.maxOutputTokens,
    model: context.model.respondAs,
    output: state.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: context.model.reasoning ? 'medium' : null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: call.toolChoice,
    tools: call.toolsJson,
    top_p: 1,
    truncation: 'disabled',
    usage: state.usage,
    user: null,
    metadata: {},
  }
}

function responsesUsage(
  call: ResponsesCall,
  context: CallContext,
  generation: Generation,
): JsonRecord {
  return {
    input_tokens: call.promptTokens,
    input_tokens_details: { cached_tokens: context.cache.readTokens },
    output_tokens: generation.outputTokens,
    output_tokens_details: { reasoning_tokens: generation.reasoningTokens },
    total_tokens: call.promptTokens + generation.outputTokens,
  }
}
