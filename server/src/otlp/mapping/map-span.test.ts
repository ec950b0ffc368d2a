import { describe, expect, test } from 'bun:test'
import type { Span } from '@llmlens/spec'
import type { OtlpEvent, OtlpSpan, OtlpValue } from '../model.ts'
import { mapSpan } from './map-span.ts'
import { resourceDefaults } from './resource.ts'

const attributes = (values: Record<string, unknown>) =>
  new Map(Object.entries(values) as [string, OtlpValue][])

function otlpSpan(values: Record<string, unknown>, extra: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '',
    name: 'span',
    kind: 1,
    startMs: 1_796_326_800_000,
    endMs: 1_796_326_801_500,
    attributes: attributes(values),
    events: [],
    statusCode: 0,
    statusMessage: '',
    ...extra,
  }
}

const NO_RESOURCE = { endpoint: null, environment: null, release: null }

function map(values: Record<string, unknown>, extra: Partial<OtlpSpan> = {}): Span {
  const result = mapSpan(otlpSpan(values, extra), NO_RESOURCE, { name: 'scope', version: '' })
  if (!result.ok) throw new Error(result.error)
  return result.span
}

const event = (name: string, values: Record<string, unknown>): OtlpEvent => ({
  name,
  timeMs: 1_796_326_800_100,
  attributes: attributes(values),
})

describe('span kind, from the first dialect marker present', () => {
  const cases: [string, Record<string, unknown>, Span['kind']][] = [
    ['gen_ai.operation.name chat', { 'gen_ai.operation.name': 'chat' }, 'llm'],
    ['gen_ai.operation.name embeddings', { 'gen_ai.operation.name': 'embeddings' }, 'embedding'],
    ['gen_ai.operation.name execute_tool', { 'gen_ai.operation.name': 'execute_tool' }, 'tool'],
    ['gen_ai.operation.name invoke_agent', { 'gen_ai.operation.name': 'invoke_agent' }, 'agent'],
    [
      'gen_ai.operation.name invoke_workflow',
      { 'gen_ai.operation.name': 'invoke_workflow' },
      'chain',
    ],
    ['openinference RETRIEVER', { 'openinference.span.kind': 'RETRIEVER' }, 'retrieval'],
    ['openinference chain (any case)', { 'openinference.span.kind': 'chain' }, 'chain'],
    ['Vercel ai.streamText.doStream', { 'ai.operationId': 'ai.streamText.doStream' }, 'llm'],
    ['Vercel ai.embedMany.doEmbed', { 'ai.operationId': 'ai.embedMany.doEmbed' }, 'embedding'],
    ['Vercel ai.generateText (the wrapper)', { 'ai.operationId': 'ai.generateText' }, 'chain'],
    ['Vercel ai.toolCall', { 'ai.operationId': 'ai.toolCall' }, 'tool'],
    ['OpenLLMetry llm.request.type rerank', { 'llm.request.type': 'rerank' }, 'retrieval'],
    ['Traceloop workflow', { 'traceloop.span.kind': 'workflow' }, 'chain'],
    ['a model and no operation', { 'gen_ai.request.model': 'gpt-4o' }, 'llm'],
    ['HTTP server span', { 'http.request.method': 'GET', 'http.route': '/chat' }, 'span'],
    ['an inherited name is no marker', { 'gen_ai.operation.name': 'constructor' }, 'span'],
  ]
  for (const [label, values, kind] of cases) {
    test(label, () => expect(map(values).kind).toBe(kind))
  }
})

describe('only model calls carry model, usage and cost', () => {
  test('an agent span that repeats its calls\u2019 usage does not count it again', () => {
    const agent = map({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 900,
      'gen_ai.agent.name': 'planner',
    })
    expect(agent).toMatchObject({ kind: 'agent', metadata: { 'gen_ai.agent.name': 'planner' } })
    expect(agent.model).toBeUndefined()
    expect(agent.usage).toBeUndefined()
  })
})

describe('usage', () => {
  test('cache and reasoning tokens under OTel GenAI names', () => {
    expect(
      map({
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 300,
        'gen_ai.usage.cache_read.input_tokens': 1000,
        'gen_ai.usage.cache_creation.input_tokens': 100,
        'gen_ai.usage.reasoning.output_tokens': 200,
      }).usage,
    ).toEqual({
      inputTokens: 1200,
      outputTokens: 300,
      cacheReadTokens: 1000,
      cacheWriteTokens: 100,
      reasoningTokens: 200,
    })
  })

  test('input reported without its cached part (Anthropic style) is made inclusive', () => {
    const usage = map({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.cache_read_input_tokens': 3000,
    }).usage
    expect(usage?.inputTokens).toBe(3020)
    expect(usage?.cacheReadTokens).toBe(3000)
  })

  test('OpenInference prompt details and token counts sent as strings', () => {
    expect(
      map({
        'openinference.span.kind': 'LLM',
        'llm.token_count.prompt': '50',
        'llm.token_count.completion': 5,
        'llm.token_count.prompt_details.cache_read': 32,
        'llm.token_count.completion_details.reasoning': 2,
      }).usage,
    ).toEqual({
      inputTokens: 50,
      outputTokens: 5,
      cacheReadTokens: 32,
      cacheWriteTokens: null,
      reasoningTokens: 2,
    })
  })

  test('a count that is not a whole number >= 0 is dropped, not passed on to fail the span', () => {
    const usage = map({
      'gen_ai.operation.name': 'chat',
      'gen_ai.usage.input_tokens': -3,
      'gen_ai.usage.output_tokens': 2.5,
    }).usage
    expect(usage).toBeNull()
  })
})

describe('the Vercel AI SDK', () => {
  const doGenerate = {
    'ai.operationId': 'ai.generateText.doGenerate',
    'ai.model.id': 'gpt-4o-mini',
    'ai.model.provider': 'openai.chat',
    'ai.prompt.messages': JSON.stringify([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in Oslo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', args: { city: 'Oslo' } },
        ],
      },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'c1', toolName: 'weather', result: '3 °C' }],
      },
    ]),
    'ai.response.text': 'It is 3 °C in Oslo.',
    'ai.response.finishReason': 'stop',
    'ai.response.model': 'gpt-4o-mini-2024-07-18',
    'ai.response.msToFirstChunk': 180.5,
    'ai.usage.promptTokens': 61,
    'ai.usage.completionTokens': 9,
    'ai.telemetry.metadata.userId': 'u-7',
  }

  test('a doGenerate span is the llm call with its prompt, reply, usage and TTFT', () => {
    expect(map(doGenerate)).toMatchObject({
      kind: 'llm',
      provider: 'openai.chat',
      model: 'gpt-4o-mini-2024-07-18',
      requestModel: 'gpt-4o-mini',
      usage: { inputTokens: 61, outputTokens: 9 },
      timeToFirstTokenMs: 180.5,
      finishReason: 'stop',
      userId: 'u-7',
      input: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Weather in Oslo?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'c1', name: 'weather', arguments: { city: 'Oslo' } }],
        },
        { role: 'tool', content: '3 °C', toolCallId: 'c1' },
      ],
      output: { role: 'assistant', content: 'It is 3 °C in Oslo.' },
    })
  })

  test('AI SDK 5 usage names and tool calls in the response', () => {
    const span = map({
      'ai.operationId': 'ai.streamText.doStream',
      'ai.usage.inputTokens': 40,
      'ai.usage.outputTokens': 12,
      'ai.usage.cachedInputTokens': 32,
      'ai.usage.reasoningTokens': 4,
      'ai.response.toolCalls': JSON.stringify([
        { toolCallType: 'function', toolCallId: 'c9', toolName: 'search', args: '{"q":"otel"}' },
      ]),
    })
    expect(span.usage).toEqual({
      inputTokens: 40,
      outputTokens: 12,
      cacheReadTokens: 32,
      cacheWriteTokens: null,
      reasoningTokens: 4,
    })
    expect(span.output).toEqual({
      role: 'assistant',
      content: null,
      toolCalls: [{ id: 'c9', name: 'search', arguments: { q: 'otel' } }],
    })
  })

  test('the generateText wrapper is a chain step with its prompt, and no usage of its own', () => {
    const wrapper = map({
      'ai.operationId': 'ai.generateText',
      'ai.model.id': 'gpt-4o-mini',
      'ai.prompt': JSON.stringify({ system: 'You are terse.', prompt: 'Weather in Oslo?' }),
      'ai.response.text': 'It is 3 °C in Oslo.',
      'ai.usage.promptTokens': 61,
    })
    expect(wrapper).toMatchObject({
      kind: 'chain',
      input: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Weather in Oslo?' },
      ],
      output: { role: 'assistant', content: 'It is 3 °C in Oslo.' },
    })
    expect(wrapper.usage).toBeUndefined()
  })

  test('a tool call span has its arguments as input and its result as output', () => {
    expect(
      map({
        'ai.operationId': 'ai.toolCall',
        'ai.toolCall.name': 'weather',
        'ai.toolCall.args': '{"city":"Oslo"}',
        'ai.toolCall.result': '"3 °C"',
      }),
    ).toMatchObject({ kind: 'tool', input: { city: 'Oslo' }, output: '"3 °C"' })
  })
})

describe('content in its other carriers', () => {
  test('OTel execute_tool arguments and result', () => {
    expect(
      map({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'lookup',
        'gen_ai.tool.call.arguments': { id: 42 },
        'gen_ai.tool.call.result': 'found',
      }),
    ).toMatchObject({ kind: 'tool', input: { id: 42 }, output: 'found' })
  })

  test('system instructions come first; structured (kvlist) messages read like JSON ones', () => {
    const span = map({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system_instructions': [{ type: 'text', content: 'Answer in French.' }],
      'gen_ai.input.messages': [
        { role: 'user', parts: [{ type: 'text', content: 'Hello' }] },
        {
          role: 'user',
          parts: [{ type: 'uri', modality: 'image', uri: 'https://example.com/cat.png' }],
        },
      ],
      'gen_ai.output.messages': JSON.stringify([
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', content: 'They greet me.' },
            { type: 'text', content: 'Bonjour' },
          ],
          finish_reason: 'stop',
        },
      ]),
    })
    expect(span.input).toEqual([
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hello' },
      {
        role: 'user',
        content: null,
        parts: [{ type: 'uri', modality: 'image', uri: 'https://example.com/cat.png' }],
      },
    ])
    expect(span.output).toEqual({
      role: 'assistant',
      content: 'Bonjour',
      parts: [{ type: 'reasoning', content: 'They greet me.' }],
    })
  })

  test('v1.26 span events gen_ai.content.prompt and gen_ai.content.completion', () => {
    const span = map(
      { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4' },
      {
        events: [
          event('gen_ai.content.prompt', {
            'gen_ai.prompt': '[{"role":"user","content":"Hi there"}]',
          }),
          event('gen_ai.content.completion', {
            'gen_ai.completion': '[{"role":"assistant","content":"Hello!"}]',
          }),
        ],
      },
    )
    expect(span.input).toEqual([{ role: 'user', content: 'Hi there' }])
    expect(span.output).toEqual({ role: 'assistant', content: 'Hello!' })
  })

  test('per-message events on the span itself, as some SDKs record them', () => {
    const span = map(
      { 'gen_ai.operation.name': 'chat' },
      {
        events: [
          event('gen_ai.system.message', { content: 'Be kind.' }),
          event('gen_ai.user.message', {
            'gen_ai.event.content': '{"content":"Hi","role":"user"}',
          }),
          event('gen_ai.choice', {
            index: 0,
            finish_reason: 'stop',
            message: '{"content":"Hello"}',
          }),
        ],
      },
    )
    expect(span.input).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'Hi' },
    ])
    expect(span.output).toEqual({ role: 'assistant', content: 'Hello' })
  })

  test('OpenLLMetry legacy tool calls in a completion', () => {
    expect(
      map({
        'llm.request.type': 'chat',
        'gen_ai.completion.0.role': 'assistant',
        'gen_ai.completion.0.finish_reason': 'tool_calls',
        'gen_ai.completion.0.tool_calls.0.id': 'call_1',
        'gen_ai.completion.0.tool_calls.0.name': 'get_time',
        'gen_ai.completion.0.tool_calls.0.arguments': '{"zone":"UTC"}',
      }),
    ).toMatchObject({
      finishReason: 'tool_calls',
      output: {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'call_1', name: 'get_time', arguments: { zone: 'UTC' } }],
      },
    })
  })
})

describe('errors', () => {
  test('status ERROR with an exception event: its type and message', () => {
    const span = map(
      { 'gen_ai.operation.name': 'chat', 'http.response.status_code': 429 },
      {
        statusCode: 2,
        events: [
          event('exception', {
            'exception.type': 'RateLimitError',
            'exception.message': '429 Rate limit reached',
          }),
        ],
      },
    )
    expect(span.status).toBe('error')
    expect(span.error).toEqual({
      type: 'RateLimitError',
      message: '429 Rate limit reached',
      httpStatus: 429,
    })
  })

  test('error.type with the status left unset still marks the failure; _OTHER is no type', () => {
    expect(map({ 'error.type': 'APITimeoutError' }).error?.type).toBe('APITimeoutError')
    expect(map({ 'error.type': '_OTHER' }, { statusCode: 2, statusMessage: 'boom' }).error).toEqual(
      { type: null, message: 'boom', httpStatus: null },
    )
    expect(map({ 'error.type': 'X' }, { statusCode: 1 }).status).toBe('ok')
  })
})

describe('the rest of the span', () => {
  test('TTFT from gen_ai.response.time_to_first_chunk, in seconds', () => {
    expect(
      map({ 'gen_ai.operation.name': 'chat', 'gen_ai.response.time_to_first_chunk': 0.25 })
        .timeToFirstTokenMs,
    ).toBe(250)
  })

  test('OTel\u2019s tool_call finish reason reads as tool_calls', () => {
    expect(
      map({ 'gen_ai.operation.name': 'chat', 'gen_ai.response.finish_reasons': ['tool_call'] })
        .finishReason,
    ).toBe('tool_calls')
  })

  test('sessions, users and tags under each dialect\u2019s names', () => {
    expect(map({ 'gen_ai.conversation.id': 'conv-1', 'user.id': 'u-1' })).toMatchObject({
      sessionId: 'conv-1',
      userId: 'u-1',
    })
    expect(map({ 'session.id': 's-2', 'tag.tags': ['beta', 'eu'] })).toMatchObject({
      sessionId: 's-2',
      tags: ['beta', 'eu'],
    })
    expect(map({ 'traceloop.association.properties.session_id': 's-3' }).sessionId).toBe('s-3')
  })

  test('resource attributes are defaults that span attributes override', () => {
    const resource = resourceDefaults(
      attributes({
        'service.name': 'checkout',
        'deployment.environment': 'prod',
        'service.version': '1.4.0',
      }),
    )
    expect(resource).toEqual({ endpoint: 'checkout', environment: 'prod', release: '1.4.0' })
    const result = mapSpan(
      otlpSpan({ 'llmlens.endpoint': '/api/checkout', 'deployment.environment.name': 'canary' }),
      resource,
      { name: '', version: '' },
    )
    expect(result.ok && result.span).toMatchObject({
      endpoint: '/api/checkout',
      environment: 'canary',
      release: '1.4.0',
    })
    expect(resourceDefaults(attributes({ 'service.name': 'unknown_service:bun' })).endpoint).toBe(
      null,
    )
  })

  test('a parent id of zeros is no parent; an empty name falls back to the operation', () => {
    expect(
      map({ 'gen_ai.operation.name': 'chat' }, { parentSpanId: '0000000000000000', name: '' }),
    ).toMatchObject({ parentSpanId: null, name: 'chat' })
  })

  test('ids of the wrong size and times that are not nanoseconds are refused with reasons', () => {
    const refuse = (extra: Partial<OtlpSpan>) =>
      mapSpan(otlpSpan({}, extra), NO_RESOURCE, { name: '', version: '' })
    expect(refuse({ traceId: '00000000000000000000000000000000' })).toEqual({
      ok: false,
      error: 'traceId must be 16 bytes, not all zero (actual: "00000000000000000000000000000000")',
    })
    expect(refuse({ spanId: 'abcd' })).toMatchObject({ ok: false })
    expect(refuse({ parentSpanId: 'zz' })).toMatchObject({ ok: false })
    expect(refuse({ startMs: 1_796_326_800 })).toEqual({
      ok: false,
      error: 'startTimeUnixNano must be nanoseconds since the epoch (actual: 1796326800000000)',
    })
  })

  test('metadata keeps scalar attributes, not content, and stops at 64 keys', () => {
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]))
    const span = map({
      'gen_ai.operation.name': 'chat',
      'gen_ai.input.messages': '[]',
      'llm.input_messages.0.message.content': 'secret prompt',
      'gen_ai.request.stop_sequences': ['END'],
      nested: { a: 1 },
      ...many,
    })
    const metadata = span.metadata ?? {}
    expect(Object.keys(metadata).length).toBe(64)
    expect(metadata['gen_ai.request.stop_sequences']).toBe('["END"]')
    expect(JSON.stringify(metadata)).not.toContain('secret prompt')
    expect(metadata.nested).toBeUndefined()
  })
})
