import { afterAll, beforeAll, expect, test } from 'bun:test'
import { Metadata } from '@grpc/grpc-js'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace'
import { createIngest } from '../ingest/ingest.ts'
import { memoryLogger } from '../log.ts'
import { createPricer } from '../pricing/index.ts'
import { Hub } from '../realtime/hub.ts'
import { SqliteStore } from '../store/sqlite/sqlite-store.ts'
import { Admission } from './admission.ts'
import { type RunningOtlpGrpc, startOtlpGrpc } from './grpc-server.ts'
import { defaultAdmission } from './limits.ts'

const KEY = 'grpc-test-key-0123456789'
const store = new SqliteStore({ path: ':memory:' })
const log = memoryLogger()
let grpc: RunningOtlpGrpc

beforeAll(async () => {
  const ingest = createIngest({ store, pricer: createPricer(), hub: new Hub(), log })
  grpc = await startOtlpGrpc({
    host: '127.0.0.1',
    port: 0,
    apiKeys: [KEY],
    bodyBytesMax: 1024 * 1024,
    admission: new Admission(defaultAdmission(1024 * 1024)),
    deps: { ingest, store },
    log,
  })
})

afterAll(async () => {
  await grpc.stop()
  store.close()
})

function exportOneSpan(metadata: Metadata, compression: 'gzip' | 'none') {
  const exporter = new OTLPTraceExporter({
    url: `http://127.0.0.1:${grpc.port}`,
    metadata,
    compression: compression as never,
  })
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'grpc-app' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  })
  const span = provider.getTracer('test').startSpan('chat gpt-4o', {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 20,
    },
  })
  span.setStatus({ code: SpanStatusCode.OK })
  span.end()
  return { traceId: span.spanContext().traceId, flushed: provider.forceFlush(), provider }
}

test('the official OTLP/gRPC trace exporter, gzip or not, stores through the same pipeline', async () => {
  const metadata = new Metadata()
  metadata.set('authorization', `Bearer ${KEY}`)
  for (const compression of ['none', 'gzip'] as const) {
    const { traceId, flushed, provider } = exportOneSpan(metadata, compression)
    await flushed
    await provider.shutdown()
    expect(store.trace(traceId)?.spans[0]).toMatchObject({
      name: 'chat gpt-4o',
      kind: 'llm',
      provider: 'openai',
      model: 'gpt-4o',
      endpoint: 'grpc-app',
      usage: { inputTokens: 100, outputTokens: 20 },
    })
  }
})

test('without the API key the export is refused and nothing is stored', async () => {
  const { traceId, flushed, provider } = exportOneSpan(new Metadata(), 'none')
  await flushed.catch(() => {})
  await provider.shutdown()
  expect(store.trace(traceId)).toBeNull()
})
