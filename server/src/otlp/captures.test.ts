import { describe as bunDescribe, test as bunTest, expect } from 'bun:test'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { StoredSpan } from '@llmlens/spec'
import { harness } from '../testing/harness.ts'
import { decodeLogsJson, decodeMetricsJson, decodeTracesJson } from './decode-json.ts'
import { decodeTracesProtobuf } from './decode-protobuf.ts'
import { mapSpan } from './mapping/map-span.ts'
import type { Attributes, OtlpSpan, OtlpValue } from './model.ts'

/**
 * Every capture in shared/reference/otlp decodes and maps to the llmlens spans written out here
 * by hand from the conventions (wire-standards.md §5 and §8). The captures are the team's
 * reference material, kept beside the checkout (`../shared`) and not copied into it;
 * LLMLENS_REFERENCE_DIR points elsewhere. A checkout without them reports these tests as
 * skipped, and says so: the real OpenTelemetry exporters in exporters.test.ts still run.
 */
const REFERENCE =
  process.env.LLMLENS_REFERENCE_DIR ?? join(import.meta.dir, '../../../../shared/reference')
const CAPTURES = join(REFERENCE, 'otlp')
const present = existsSync(CAPTURES)
if (!present) {
  console.warn(`captures.test.ts: no captures at ${CAPTURES}; their tests are skipped`)
}
const test = present ? bunTest : bunTest.skip
const describe = present ? bunDescribe : bunDescribe.skip
const capture = (name: string) => new Uint8Array(readFileSync(join(CAPTURES, name)))
const captureJson = (name: string): unknown =>
  JSON.parse(readFileSync(join(CAPTURES, name), 'utf8'))

function post(
  h: ReturnType<typeof harness>,
  path: string,
  body: Uint8Array<ArrayBuffer>,
  type: string,
) {
  return h.request(path, { method: 'POST', headers: { 'content-type': type }, body })
}

const postJson = (h: ReturnType<typeof harness>, path: string, name: string) =>
  post(h, path, capture(name), 'application/json')

function storedSpan(h: ReturnType<typeof harness>, traceId: string, spanId: string): StoredSpan {
  const span = h.store.trace(traceId)?.spans.find((s) => s.spanId === spanId)
  if (span === undefined) throw new Error(`span ${traceId}/${spanId} was not stored`)
  return span
}

test('every capture is covered by a test below', () => {
  expect(readdirSync(CAPTURES).sort()).toEqual([
    'openinference-genai.openinference_client_span_tool_calls.json',
    'openinference-genai.otel_genai_client_span_tool_calls.json',
    'openinference-genai.otel_genai_deprecated_client_span_tool_calls.json',
    'otel-js-instrumentation-openai-0.21.0.chat.traces.json',
    'otel-js-instrumentation-openai-0.21.0.chat.traces.pb',
    'otel-js-instrumentation-openai-0.21.0.gen_ai.choice.logs.json',
    'otel-js-instrumentation-openai-0.21.0.metrics.json',
    'spec-example.events.json',
    'spec-example.logs.json',
    'spec-example.metrics.json',
    'spec-example.trace.json',
    'traceloop-js-openai-0.22.5-legacy.chat.traces.json',
  ])
})

const OTEL_JS_CHAT = {
  traceId: '5f681c84d1aa0051f7de12f22ac3c019',
  spanId: 'bb43db27a638c3f5',
  parentSpanId: null,
  name: 'chat gpt-3.5-turbo',
  kind: 'llm',
  startTime: 1796326803909,
  provider: 'openai',
  model: 'gpt-3.5-turbo-0125',
  modelFamily: 'gpt-3.5-turbo',
  requestModel: 'gpt-3.5-turbo',
  endpoint: 'otlp-fixture-otel-contrib',
  status: 'ok',
  error: null,
  usage: {
    inputTokens: 15,
    outputTokens: 20,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    reasoningTokens: null,
  },
  costEstimated: true,
  timeToFirstTokenMs: null,
  finishReason: 'stop',
  userId: null,
  sessionId: null,
  environment: null,
  release: null,
  tags: [],
  metadata: {
    'otel.scope.name': '@opentelemetry/instrumentation-openai',
    'otel.span.kind': 'client',
    'gen_ai.operation.name': 'chat',
    'server.address': 'api.openai.com',
    'server.port': 443,
    'gen_ai.response.id': 'chatcmpl-C4TUZMARo4XM8eqL685o7Un8pCHDX',
  },
  input: null,
  output: null,
}

const JOKE =
  'Why did the OpenTelemetry developer go broke? \n\nBecause they kept trying to trace their expenses!'

describe('@opentelemetry/instrumentation-openai 0.21.0 captures', () => {
  test('the chat span (JSON) is an llm span with the deprecated gen_ai.system provider', async () => {
    const h = harness()
    const response = await postJson(
      h,
      '/v1/traces',
      'otel-js-instrumentation-openai-0.21.0.chat.traces.json',
    )
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({})
    const span = storedSpan(h, OTEL_JS_CHAT.traceId, OTEL_JS_CHAT.spanId)
    expect(span).toMatchObject(OTEL_JS_CHAT)
    expect(span.endTime).toBeCloseTo(1796326803931.8174, 3)
    expect(span.costUsd).toBeGreaterThan(0)
  })

  test('the same span as protobuf decodes to exactly what its JSON twin decodes to', async () => {
    const fromProtobuf = decodeTracesProtobuf(
      capture('otel-js-instrumentation-openai-0.21.0.chat.traces.pb'),
    )
    const fromJson = decodeTracesJson(
      captureJson('otel-js-instrumentation-openai-0.21.0.chat.traces.json'),
    )
    expect(fromProtobuf).toEqual(fromJson)

    const h = harness()
    const response = await post(
      h,
      '/v1/traces',
      capture('otel-js-instrumentation-openai-0.21.0.chat.traces.pb'),
      'application/x-protobuf',
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/x-protobuf')
    // An ExportTraceServiceResponse without partial_success encodes to no bytes at all.
    expect((await response.arrayBuffer()).byteLength).toBe(0)
    expect(storedSpan(h, OTEL_JS_CHAT.traceId, OTEL_JS_CHAT.spanId)).toMatchObject(OTEL_JS_CHAT)
  })

  test('the gen_ai.choice log event becomes the output of its span, whichever arrives first', async () => {
    const logsFirst = harness()
    await postJson(
      logsFirst,
      '/v1/logs',
      'otel-js-instrumentation-openai-0.21.0.gen_ai.choice.logs.json',
    )
    await postJson(
      logsFirst,
      '/v1/traces',
      'otel-js-instrumentation-openai-0.21.0.chat.traces.json',
    )

    const spanFirst = harness()
    await postJson(
      spanFirst,
      '/v1/traces',
      'otel-js-instrumentation-openai-0.21.0.chat.traces.json',
    )
    const response = await postJson(
      spanFirst,
      '/v1/logs',
      'otel-js-instrumentation-openai-0.21.0.gen_ai.choice.logs.json',
    )
    expect(await response.json()).toEqual({})

    for (const h of [logsFirst, spanFirst]) {
      expect(storedSpan(h, OTEL_JS_CHAT.traceId, OTEL_JS_CHAT.spanId).output).toEqual({
        role: 'assistant',
        content: JOKE,
      })
    }
  })

  test('the two gen_ai histograms are stored and summed per model and token type', async () => {
    const h = harness()
    const response = await postJson(
      h,
      '/v1/metrics',
      'otel-js-instrumentation-openai-0.21.0.metrics.json',
    )
    expect(await response.json()).toEqual({})

    const read = async (metric: string) => {
      const query = `from=0&to=1796326900000&metric=${metric}&groupBy=model,tokenType`
      return (await h.json(`/api/v1/metrics/genai?${query}`)).body as {
        groups: { key: object; count: number; sum: number; bucketCounts: number[] }[]
      }
    }
    const durations = await read('gen_ai.client.operation.duration')
    expect(durations.groups.map((g) => [g.key, g.count, g.bucketCounts.slice(0, 4)])).toEqual([
      [{ model: 'gpt-3.5-turbo-0125', tokenType: null }, 2, [1, 0, 1, 0]],
      [{ model: 'gpt-4-0613', tokenType: null }, 1, [1, 0, 0, 0]],
    ])
    expect(durations.groups[0]?.sum).toBeCloseTo(0.031822402, 9)

    const tokens = await read('gen_ai.client.token.usage')
    expect(tokens.groups.map((g) => [g.key, g.count, g.sum])).toEqual([
      [{ model: 'gpt-3.5-turbo-0125', tokenType: 'input' }, 1, 15],
      [{ model: 'gpt-3.5-turbo-0125', tokenType: 'output' }, 1, 20],
      [{ model: 'gpt-4-0613', tokenType: 'input' }, 1, 82],
      [{ model: 'gpt-4-0613', tokenType: 'output' }, 1, 18],
    ])
  })
})

test('the legacy OpenLLMetry span maps gen_ai.prompt.N / gen_ai.completion.N and "OpenAI"', async () => {
  const h = harness()
  await postJson(h, '/v1/traces', 'traceloop-js-openai-0.22.5-legacy.chat.traces.json')
  expect(storedSpan(h, 'eff2263f69697f2d48ef959cf0d30da2', 'e00049961067b45e')).toMatchObject({
    name: 'openai.chat',
    kind: 'llm',
    provider: 'openai',
    model: 'gpt-3.5-turbo-0125',
    requestModel: 'gpt-3.5-turbo',
    endpoint: 'otlp-fixture-traceloop-legacy',
    usage: { inputTokens: 15, outputTokens: 20 },
    finishReason: 'stop',
    metadata: {
      'otel.scope.name': '@traceloop/instrumentation-openai',
      'otel.span.kind': 'client',
      'llm.request.type': 'chat',
      'llm.usage.total_tokens': 35,
    },
    input: [{ role: 'user', content: 'Tell me a joke about OpenTelemetry' }],
    output: { role: 'assistant', content: JOKE },
  })
})

test('the spec example span is a plain span: upper-case ids lowered, its parent kept', async () => {
  const h = harness()
  await postJson(h, '/v1/traces', 'spec-example.trace.json')
  const trace = h.store.trace('5b8efff798038103d269b633813fc60c')
  expect(trace?.roots).toEqual(['eee19b7ec3c1b174'])
  expect(trace?.spans).toEqual([
    expect.objectContaining({
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      name: "I'm a server span",
      kind: 'span',
      startTime: 1544712660000,
      endTime: 1544712661000,
      durationMs: 1000,
      provider: null,
      model: null,
      usage: expect.objectContaining({ inputTokens: null }),
      costUsd: null,
      endpoint: 'my.service',
      metadata: {
        'otel.scope.name': 'my.library',
        'otel.span.kind': 'server',
        'my.span.attr': 'some value',
      },
    }),
  ])
})

test('the spec example logs and event are not GenAI content, and say so', async () => {
  const h = harness()
  for (const name of ['spec-example.logs.json', 'spec-example.events.json']) {
    const batches = decodeLogsJson(captureJson(name))
    expect(batches.flatMap((b) => b.items).length).toBe(1)
    const response = await postJson(h, '/v1/logs', name)
    const body = (await response.json()) as {
      partialSuccess: { rejectedLogRecords: string; errorMessage: string }
    }
    expect(body.partialSuccess.rejectedLogRecords).toBe('1')
    expect(body.partialSuccess.errorMessage).toContain('not GenAI content events')
  }
  const [events] = decodeLogsJson(captureJson('spec-example.events.json'))
  expect(events?.items[0]?.eventName).toBe('browser.page_view')
})

test('the spec example metrics are all refused by name, since none is a GenAI histogram', async () => {
  const h = harness()
  const batches = decodeMetricsJson(captureJson('spec-example.metrics.json'))
  expect(batches[0]?.items.map((m) => [m.name, m.histogram?.points[0]?.count ?? null])).toEqual([
    ['my.counter', null],
    ['my.gauge', null],
    ['my.histogram', 2],
    ['my.exponential.histogram', null],
  ])
  const response = await postJson(h, '/v1/metrics', 'spec-example.metrics.json')
  expect(await response.json()).toEqual({
    partialSuccess: {
      rejectedDataPoints: '4',
      errorMessage:
        '4 rejected: llmlens keeps only gen_ai.client.token.usage and gen_ai.client.operation.duration; ' +
        'not kept: my.counter, my.gauge, my.histogram, my.exponential.histogram',
    },
  })
})

/** A flat attribute map as OpenInference's fixtures write them, as the attributes of a span. */
function spanWithAttributes(flat: Record<string, unknown>): OtlpSpan {
  const attributes: Attributes = new Map()
  for (const [key, value] of Object.entries(flat)) attributes.set(key, value as OtlpValue)
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: '',
    name: 'chat gpt-4',
    kind: 3,
    startMs: 1_796_326_800_000,
    endMs: 1_796_326_801_000,
    attributes,
    events: [],
    statusCode: 0,
    statusMessage: '',
  }
}

describe('one tool-calling chat in three conventions (OpenInference fixtures)', () => {
  const mapped = (name: string) => {
    const result = mapSpan(
      spanWithAttributes(captureJson(name) as Record<string, unknown>),
      { endpoint: null, environment: null, release: null },
      { name: '', version: '' },
    )
    if (!result.ok) throw new Error(result.error)
    return result.span
  }
  // Read in the tests, not while they are collected, so that a skipped run reads nothing.
  const conventions = () => ({
    otel: mapped('openinference-genai.otel_genai_client_span_tool_calls.json'),
    deprecated: mapped('openinference-genai.otel_genai_deprecated_client_span_tool_calls.json'),
    openInference: mapped('openinference-genai.openinference_client_span_tool_calls.json'),
  })

  const conversation = [
    { role: 'user', content: 'Weather in Paris?' },
    {
      role: 'assistant',
      content: 'Absolutely! Let me check the weather for you.',
      toolCalls: [{ id: '1234', name: 'get_weather', arguments: { location: 'Paris' } }],
    },
    { role: 'tool', content: 'rainy, 57°F', toolCallId: '1234' },
  ]
  const answer = {
    role: 'assistant',
    content: 'The weather in Paris is currently rainy with a temperature of 57°F.',
  }

  test('all three read as the same llm call', () => {
    const { otel, deprecated, openInference } = conventions()
    for (const span of [otel, deprecated, openInference]) {
      expect(span).toMatchObject({
        kind: 'llm',
        provider: 'openai',
        model: 'gpt-4-0613',
        requestModel: 'gpt-4',
        usage: { inputTokens: 97, outputTokens: 52 },
        input: conversation,
        output: answer,
      })
    }
  })

  test('each keeps what only it says', () => {
    const { otel, deprecated, openInference } = conventions()
    expect(otel.finishReason).toBe('stop')
    expect(deprecated.finishReason).toBe('stop')
    expect(openInference.finishReason).toBeNull()
    expect(otel.metadata).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.max_tokens': 200,
      'gen_ai.response.id': 'chatcmpl-CQF10eCkoFphJZJQkzzN6EkTD0AVF',
    })
    expect(openInference.metadata).toMatchObject({
      'openinference.span.kind': 'LLM',
      'llm.token_count.total': 149,
    })
  })
})
