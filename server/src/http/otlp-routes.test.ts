import { describe, expect, test } from 'bun:test'
import { createIngest } from '../ingest/ingest.ts'
import { memoryLogger } from '../log.ts'
import type { OtlpAdmissionOptions } from '../otlp/limits.ts'
import { OTLP_TYPES } from '../otlp/proto-schema.ts'
import { createPricer } from '../pricing/index.ts'
import { Hub } from '../realtime/hub.ts'
import { SqliteStore } from '../store/sqlite/sqlite-store.ts'
import { harness } from '../testing/harness.ts'
import { createApp } from './app.ts'

const TRACE_ID = '5f681c84d1aa0051f7de12f22ac3c019'
const PROTOBUF = 'application/x-protobuf'

function jsonSpan(spanId: string, extra: object = {}) {
  return {
    traceId: TRACE_ID,
    spanId,
    name: 'chat gpt-4o-mini',
    kind: 3,
    startTimeUnixNano: '1796326803909000000',
    endTimeUnixNano: '1796326803931000000',
    attributes: [
      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
      { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
      { key: 'gen_ai.usage.input_tokens', value: { intValue: 12 } },
      { key: 'gen_ai.usage.output_tokens', value: { intValue: '7' } },
    ],
    ...extra,
  }
}

const traces = (...spans: object[]) => ({
  resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: {}, spans }] }],
})

function protobufTraces(...spans: object[]): Uint8Array<ArrayBuffer> {
  const withBytes = spans.map((span) => {
    const s = span as { traceId: string; spanId: string }
    return {
      ...span,
      traceId: Buffer.from(s.traceId, 'hex'),
      spanId: Buffer.from(s.spanId, 'hex'),
      startTimeUnixNano: 1_796_326_803_909_000_000,
      endTimeUnixNano: 1_796_326_803_931_000_000,
      attributes: [{ key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } }],
    }
  })
  return new Uint8Array(OTLP_TYPES.traceRequest.encode(traces(...withBytes)).finish())
}

type TraceResponse = { partialSuccess?: { rejectedSpans: unknown; errorMessage: string } }
const decodeResponse = (bytes: ArrayBuffer) =>
  OTLP_TYPES.traceResponse.toObject(OTLP_TYPES.traceResponse.decode(new Uint8Array(bytes)), {
    longs: Number,
  }) as TraceResponse
const decodeStatus = (bytes: ArrayBuffer) =>
  OTLP_TYPES.status.decode(new Uint8Array(bytes)) as unknown as { code: number; message: string }

describe('POST /v1/traces replies as OTLP/HTTP says', () => {
  test('in JSON to JSON: an empty object when every span was kept', async () => {
    const h = harness()
    const response = await h.request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(traces(jsonSpan('00000000000000a1'))),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({})
    expect(h.store.trace(TRACE_ID)?.spans[0]?.usage).toMatchObject({
      inputTokens: 12,
      outputTokens: 7,
    })
  })

  test('in protobuf to protobuf, gzip or not', async () => {
    const h = harness()
    const plain = protobufTraces(jsonSpan('00000000000000a1'))
    const gzipped = Bun.gzipSync(protobufTraces(jsonSpan('00000000000000a2')))
    for (const [body, encoding] of [
      [plain, 'identity'],
      [gzipped, 'gzip'],
    ] as const) {
      const response = await h.request('/v1/traces', {
        method: 'POST',
        headers: { 'content-type': PROTOBUF, 'content-encoding': encoding },
        body,
      })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe(PROTOBUF)
      expect(decodeResponse(await response.arrayBuffer())).toEqual({})
    }
    expect(
      h.store
        .trace(TRACE_ID)
        ?.spans.map((span) => span.spanId)
        .sort(),
    ).toEqual(['00000000000000a1', '00000000000000a2'])
  })

  test('an empty request is a success, in either encoding', async () => {
    const h = harness()
    const empty = await h.request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': PROTOBUF },
      body: new Uint8Array(0),
    })
    expect(empty.status).toBe(200)
    expect((await h.post('/v1/traces', {})).status).toBe(200)
  })

  test('bad spans are counted in partialSuccess with their paths; good ones are stored', async () => {
    const h = harness()
    const body = traces(
      jsonSpan('00000000000000a1'),
      jsonSpan('00000000000000a2', { traceId: 'abc' }),
      jsonSpan('00000000000000a3', { endTimeUnixNano: '1796326803000000000' }),
    )
    const { status, body: reply } = await h.post('/v1/traces', body)
    expect(status).toBe(200)
    const partial = (reply as TraceResponse).partialSuccess
    expect(partial?.rejectedSpans).toBe('2')
    expect(partial?.errorMessage).toContain(
      'resourceSpans[0].scopeSpans[0].spans[1].traceId must be 16 bytes, not all zero (actual: "abc")',
    )
    expect(partial?.errorMessage).toContain(
      'resourceSpans[0].scopeSpans[0].spans[2]: endTime is before startTime',
    )
    expect(h.store.trace(TRACE_ID)?.spans.map((span) => span.spanId)).toEqual(['00000000000000a1'])
  })

  test('partialSuccess in protobuf carries the count as an integer', async () => {
    const h = harness()
    const body = protobufTraces(jsonSpan('00000000000000a1'), jsonSpan('0000000000000000'))
    const response = await h.request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': PROTOBUF },
      body,
    })
    const reply = decodeResponse(await response.arrayBuffer())
    expect(reply.partialSuccess?.rejectedSpans).toBe(1)
    expect(reply.partialSuccess?.errorMessage).toContain('spans[1].spanId must be 8 bytes')
  })

  test('a resent export stores and counts each span once', async () => {
    const h = harness()
    const body = traces(jsonSpan('00000000000000a1'))
    await h.post('/v1/traces', body)
    await h.post('/v1/traces', body)
    expect(h.store.trace(TRACE_ID)?.spans.length).toBe(1)
    const exposition = await (await h.request('/metrics')).text()
    expect(exposition).toContain(
      'llmlens_llm_requests_total{provider="openai",model="gpt-4o-mini"} 1\n',
    )
  })
})

describe('errors are a google.rpc.Status in the request encoding', () => {
  test('JSON that is not OTLP is a 400 naming the field', async () => {
    const h = harness()
    const { status, body } = await h.post('/v1/traces', { resourceSpans: [{ scopeSpans: 5 }] })
    expect(status).toBe(400)
    expect(body).toEqual({
      code: 3,
      message: 'resourceSpans[0].scopeSpans must be an array (actual: 5)',
    })
  })

  test('a body over the limit once decompressed is a 413 that gives the limit', async () => {
    const h = harness({ bodyBytesMax: 4096 })
    const bomb = Bun.gzipSync(new Uint8Array(1_000_000))
    const response = await h.request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': PROTOBUF, 'content-encoding': 'gzip' },
      body: bomb,
    })
    expect(response.status).toBe(413)
    expect(response.headers.get('content-type')).toBe(PROTOBUF)
    expect(decodeStatus(await response.arrayBuffer()).message).toContain(
      'the limit is 4096 bytes after decompression',
    )
  })

  test('a content type that is not OTLP is a 415', async () => {
    const h = harness()
    const response = await h.request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b',
    })
    expect(response.status).toBe(415)
    expect(await response.json()).toEqual({
      code: 3,
      message:
        'content-type "text/csv" is not OTLP; send application/x-protobuf or application/json',
    })
  })

  test('with API keys set, a missing key is a 401 in protobuf; a right key passes', async () => {
    const key = 'otlp-test-key-0123456789'
    const h = harness({ apiKeys: [key] })
    const body = protobufTraces(jsonSpan('00000000000000a1'))
    const refused = await h.request('/v1/metrics', {
      method: 'POST',
      headers: { 'content-type': PROTOBUF },
      body,
    })
    expect(refused.status).toBe(401)
    expect(decodeStatus(await refused.arrayBuffer())).toEqual(
      expect.objectContaining({ code: 16, message: expect.stringContaining('missing API key') }),
    )
    const accepted = await h.request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': PROTOBUF, authorization: `Bearer ${key}` },
      body,
    })
    expect(accepted.status).toBe(200)
    expect((await h.request('/metrics')).status).toBe(401)
  })
})

describe('overload: refused at once with Retry-After', () => {
  function appWith(otlp: Partial<OtlpAdmissionOptions>) {
    const store = new SqliteStore({ path: ':memory:' })
    const hub = new Hub()
    const log = memoryLogger()
    const ingest = createIngest({ store, pricer: createPricer(), hub, log })
    const app = createApp({
      store,
      ingest,
      hub,
      log,
      version: 'test',
      apiKeys: [],
      bodyBytesMax: 1024 * 1024,
      otlp,
    })
    return { app, store }
  }

  /** A request whose body stays open until `finish` is called: an export still in flight. */
  function heldExport(app: ReturnType<typeof appWith>['app'], body: Uint8Array) {
    let finish = () => {}
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        finish = () => {
          controller.enqueue(body)
          controller.close()
        }
      },
    })
    const response = app.request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': PROTOBUF, 'content-length': String(body.length) },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    return { response: Promise.resolve(response), finish: () => finish() }
  }

  const post = (app: ReturnType<typeof appWith>['app'], body: Uint8Array<ArrayBuffer>) =>
    app.request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': PROTOBUF, 'content-length': String(body.length) },
      body,
    })

  test('too many exports in flight: 429', async () => {
    const { app } = appWith({ exportsInFlightMax: 1, retryAfterSeconds: 2 })
    const first = heldExport(app, protobufTraces(jsonSpan('00000000000000a1')))
    await Bun.sleep(0)

    const refused = await post(app, protobufTraces(jsonSpan('00000000000000a2')))
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('2')
    expect(decodeStatus(await refused.arrayBuffer()).message).toContain(
      '1 exports are in flight, the most llmlens takes at once (1)',
    )

    first.finish()
    expect((await first.response).status).toBe(200)
    expect((await post(app, protobufTraces(jsonSpan('00000000000000a3')))).status).toBe(200)
  })

  test('too many bytes in flight: 503', async () => {
    const body = protobufTraces(jsonSpan('00000000000000a1'))
    const { app } = appWith({ bytesInFlightMax: body.length + 10, retryAfterSeconds: 1 })
    const first = heldExport(app, body)
    await Bun.sleep(0)

    const refused = await post(app, protobufTraces(jsonSpan('00000000000000a2')))
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('1')

    first.finish()
    expect((await first.response).status).toBe(200)
    expect((await post(app, protobufTraces(jsonSpan('00000000000000a2')))).status).toBe(200)
  })
})

test('the OpenAPI document lists the OTLP, Prometheus and GenAI metrics routes', async () => {
  const h = harness()
  const { body } = await h.json('/api/v1/openapi.json')
  const paths = (body as { paths: Record<string, Record<string, unknown>> }).paths
  for (const path of ['/v1/traces', '/v1/logs', '/v1/metrics']) {
    expect(Object.keys(paths[path] ?? {})).toEqual(['post'])
  }
  expect(Object.keys(paths['/metrics'] ?? {})).toEqual(['get'])
  expect(Object.keys(paths['/api/v1/metrics/genai'] ?? {})).toEqual(['get'])
})
