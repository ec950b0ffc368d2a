import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { OpenAIInstrumentation as OpenInferenceInstrumentation } from '@arizeai/openinference-instrumentation-openai'
import { createFakeProvider, type RunningFakeProvider } from '@llmlens/fake-provider'
import type { StoredSpan } from '@llmlens/spec'
import { context, type Span as OtelSpan } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto'
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto'
import { OTLPTraceExporter as HttpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs'
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics'
import { SimpleSpanProcessor, type SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace'
import * as openaiModule from 'openai'
import { startTestServer } from './test-server.ts'

/**
 * Real exporters from npm, unmodified, sending to a running llmlens over the network: the
 * OpenTelemetry JS SDK with its OTLP proto and http/json exporters, around the real `openai`
 * client instrumented by @opentelemetry/instrumentation-openai and by OpenInference, calling the
 * fake provider. Expectations come from the API responses themselves, so they hold for any reply
 * the fake gives.
 */

const OpenAI = openaiModule.OpenAI
type Llmlens = ReturnType<typeof startTestServer>
let llmlens: Llmlens
let fake: RunningFakeProvider

beforeAll(async () => {
  llmlens = startTestServer()
  fake = await createFakeProvider().start(0)
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
})

afterAll(async () => {
  context.disable()
  await fake.stop()
  await llmlens.stop()
})

const RESOURCE = {
  'service.name': 'support-bot',
  'deployment.environment.name': 'staging',
  'service.version': '2026.12.1',
}

function tracerProvider(exporter: SpanExporter): TracerProvider {
  return new TracerProvider({
    resource: resourceFromAttributes(RESOURCE),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  })
}

const openai = () => new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'test', maxRetries: 0 })

/**
 * The OTel JS instrumentation declares openai <7, and the module hook that would check that does
 * not run for ESM under Bun; its patch is applied to the module directly instead, which is what
 * the hook does once the version matches.
 */
function instrumentOtel(traces: TracerProvider, logs: LoggerProvider, metrics: MeterProvider) {
  const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true, enabled: false })
  instrumentation.setTracerProvider(traces)
  instrumentation.setLoggerProvider(logs)
  instrumentation.setMeterProvider(metrics)
  instrumentation.enable()
  const definition = instrumentation.getModuleDefinitions()[0]
  definition?.patch?.(openaiModule)
  return () => {
    definition?.unpatch?.(openaiModule)
    instrumentation.disable()
  }
}

function storedTrace(traceId: string): StoredSpan[] {
  return llmlens.store.trace(traceId)?.spans ?? []
}

async function inRootSpan<T>(
  traces: TracerProvider,
  name: string,
  work: () => Promise<T>,
): Promise<{ traceId: string; rootId: string; result: T }> {
  return traces.getTracer('app').startActiveSpan(name, async (root: OtelSpan) => {
    const result = await work()
    root.end()
    const { traceId, spanId } = root.spanContext()
    return { traceId, rootId: spanId, result }
  })
}

describe('@opentelemetry/instrumentation-openai with the OTLP/protobuf exporters', () => {
  const traces = () => tracerProvider(new ProtoTraceExporter({ url: `${llmlens.url}/v1/traces` }))
  const logs = () =>
    new LoggerProvider({
      resource: resourceFromAttributes(RESOURCE),
      processors: [
        new SimpleLogRecordProcessor({
          exporter: new OTLPLogExporter({ url: `${llmlens.url}/v1/logs` }),
        }),
      ],
    })
  const meters = () =>
    new MeterProvider({
      resource: resourceFromAttributes(RESOURCE),
      readers: [
        new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: `${llmlens.url}/v1/metrics` }),
          // Exports happen on forceFlush in the test, never on the clock.
          exportIntervalMillis: 3_600_000,
        }),
      ],
    })

  test('a chat call keeps its parent, its usage and, joined from log events, its content', async () => {
    const [t, l, m] = [traces(), logs(), meters()]
    const restore = instrumentOtel(t, l, m)
    const { traceId, rootId, result } = await inRootSpan(t, 'POST /api/answer', () =>
      openai().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What does llmlens do?' },
        ],
      }),
    )
    await Promise.all([t.forceFlush(), l.forceFlush(), m.forceFlush()])
    restore()

    const spans = storedTrace(traceId)
    expect(spans.map((span) => [span.name, span.kind, span.parentSpanId])).toEqual([
      ['POST /api/answer', 'span', null],
      ['chat gpt-4o-mini', 'llm', rootId],
    ])
    const call = spans[1] as StoredSpan
    expect(call).toMatchObject({
      provider: 'openai',
      model: result.model,
      requestModel: 'gpt-4o-mini',
      endpoint: 'support-bot',
      environment: 'staging',
      release: '2026.12.1',
      status: 'ok',
      finishReason: 'stop',
      usage: {
        inputTokens: result.usage?.prompt_tokens,
        outputTokens: result.usage?.completion_tokens,
      },
      costEstimated: true,
      input: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What does llmlens do?' },
      ],
      output: { role: 'assistant', content: result.choices[0]?.message.content },
    })
    expect(call.costUsd).toBeGreaterThan(0)
    expect(llmlens.log.lines.filter((line) => line.includes('level=error'))).toEqual([])
  })

  test('its gen_ai histograms are stored and can be read back per model', async () => {
    const [t, l, m] = [traces(), logs(), meters()]
    const restore = instrumentOtel(t, l, m)
    const result = await openai().chat.completions.create({
      model: 'gpt-4.1-nano',
      messages: [{ role: 'user', content: 'Count my tokens' }],
    })
    await Promise.all([t.forceFlush(), l.forceFlush(), m.forceFlush()])
    restore()

    const read = async (metric: string) => {
      const url = `${llmlens.url}/api/v1/metrics/genai?from=0&metric=${metric}&groupBy=model,tokenType`
      const body = (await (await fetch(url)).json()) as {
        groups: { key: { model: string; tokenType: string | null }; count: number; sum: number }[]
      }
      return body.groups.filter((group) => group.key.model === result.model)
    }
    const tokens = await read('gen_ai.client.token.usage')
    expect(tokens.map((g) => [g.key.tokenType, g.count, g.sum]).sort()).toEqual([
      ['input', 1, result.usage?.prompt_tokens ?? null],
      ['output', 1, result.usage?.completion_tokens ?? null],
    ])
    const durations = await read('gen_ai.client.operation.duration')
    expect(durations.map((g) => g.count)).toEqual([1])
  })

  test('a rate-limited call is an error span with the rate_limit category', async () => {
    const [t, l, m] = [traces(), logs(), meters()]
    const restore = instrumentOtel(t, l, m)
    const { traceId } = await inRootSpan(t, 'POST /api/limited', async () => {
      const call = openai().chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Too fast' }] },
        { headers: { 'x-fake-error': '429' } },
      )
      return await call.catch((error: Error) => error)
    })
    await Promise.all([t.forceFlush(), l.forceFlush()])
    restore()

    const call = storedTrace(traceId).find((span) => span.kind === 'llm')
    expect(call?.status).toBe('error')
    expect(call?.error?.type).toBe('rate_limit')
    expect(call?.error?.rawType).toBe('RateLimitError')
  })

  test('a streamed call with include_usage and an embedding call are counted with their kinds', async () => {
    const [t, l, m] = [traces(), logs(), meters()]
    const restore = instrumentOtel(t, l, m)
    const { traceId } = await inRootSpan(t, 'job', async () => {
      const stream = await openai().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Stream it' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      let usage: { prompt_tokens: number; completion_tokens: number } | undefined
      for await (const chunk of stream) usage = chunk.usage ?? usage
      const embedding = await openai().embeddings.create({
        model: 'text-embedding-3-small',
        input: 'vectors',
      })
      return { usage, embeddingTokens: embedding.usage.prompt_tokens }
    })
    await Promise.all([t.forceFlush(), l.forceFlush()])
    restore()

    const spans = storedTrace(traceId)
    const streamed = spans.find((span) => span.kind === 'llm')
    const embedding = spans.find((span) => span.kind === 'embedding')
    expect(streamed?.usage.outputTokens).toBeGreaterThan(0)
    expect(streamed?.output).toMatchObject({ role: 'assistant' })
    expect(embedding?.model).toBe('text-embedding-3-small')
    expect(embedding?.usage.inputTokens).toBeGreaterThan(0)

    const exposition = await (await fetch(`${llmlens.url}/metrics`)).text()
    expect(exposition).toMatch(
      /llmlens_llm_requests_total\{provider="openai",model="text-embedding-3-small"\} [1-9]/,
    )
  })
})

describe('OpenInference around the same client', () => {
  async function toolTurns(exporter: SpanExporter) {
    const traces = tracerProvider(exporter)
    const instrumentation = new OpenInferenceInstrumentation({ tracerProvider: traces })
    // Its declared parameter is the OpenAI class, but it patches the module namespace
    // (`module.OpenAI.Chat.Completions.prototype`), which is what it must be given.
    type Patched = Parameters<OpenInferenceInstrumentation['manuallyInstrument']>[0]
    instrumentation.manuallyInstrument(openaiModule as unknown as Patched)
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
    ]
    const question = { role: 'user' as const, content: 'Use a tool: weather in Paris?' }
    const first = await openai().chat.completions.create({
      model: 'gpt-4o',
      messages: [question],
      tools,
    })
    const call = first.choices[0]?.message.tool_calls?.[0]
    if (call?.type !== 'function') throw new Error('the fake provider did not call the tool')
    const second = await openai().chat.completions.create({
      model: 'gpt-4o',
      messages: [
        question,
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'rainy, 14 °C' },
      ],
      tools,
    })
    await traces.forceFlush()
    instrumentation.disable()
    return { first, second, call }
  }

  const openInferenceSpans = () =>
    llmlens.store
      .spans({
        filter: { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER, kind: ['llm'] },
        sort: 'startTime',
        order: 'asc',
        limit: 1000,
        cursor: null,
        search: null,
        withContent: true,
      })
      .items.filter(
        (span) =>
          span.metadata['otel.scope.name'] === '@arizeai/openinference-instrumentation-openai',
      )

  for (const [transport, exporter] of [
    ['http/json', () => new HttpJsonTraceExporter({ url: `${llmlens.url}/v1/traces` })],
    ['http/protobuf', () => new ProtoTraceExporter({ url: `${llmlens.url}/v1/traces` })],
  ] as const) {
    test(`a tool-call round trip over ${transport} keeps tool calls, tool results and usage`, async () => {
      const { first, second, call } = await toolTurns(exporter())
      const spans = openInferenceSpans()
      const asked = spans.find(
        (span) => (span.output as { toolCalls?: { id: string }[] })?.toolCalls?.[0]?.id === call.id,
      )
      expect(asked).toMatchObject({
        provider: 'openai',
        model: first.model,
        finishReason: 'tool_calls',
        usage: {
          inputTokens: first.usage?.prompt_tokens,
          outputTokens: first.usage?.completion_tokens,
        },
        input: [{ role: 'user', content: 'Use a tool: weather in Paris?' }],
        output: {
          role: 'assistant',
          content: null,
          toolCalls: [
            { id: call.id, name: 'get_weather', arguments: JSON.parse(call.function.arguments) },
          ],
        },
      })
      const answered = spans.find((span) =>
        (span.input as { toolCallId?: string }[] | null)?.some((m) => m.toolCallId === call.id),
      )
      expect(answered?.input).toEqual([
        { role: 'user', content: 'Use a tool: weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [
            { id: call.id, name: 'get_weather', arguments: JSON.parse(call.function.arguments) },
          ],
        },
        { role: 'tool', content: 'rainy, 14 °C', toolCallId: call.id },
      ])
      expect(answered?.output).toEqual({
        role: 'assistant',
        content: second.choices[0]?.message.content ?? null,
      })
    })
  }
})
