import { describe, expect, test } from 'bun:test'
import { gzipSync } from 'node:zlib'
import { LIMITS, loadIngestVectors } from '@llmlens/spec'
import { harness } from '../testing/harness.ts'

const example = loadIngestVectors().find((v) => v.name === 'design-example')
const body = example?.request.body as { spans: Record<string, unknown>[] }
const span = body.spans[0] as Record<string, unknown>

function spanWithId(i: number): Record<string, unknown> {
  return { ...span, spanId: i.toString(16).padStart(16, '0') }
}

function post(
  h: ReturnType<typeof harness>,
  data: Buffer | string,
  headers: Record<string, string>,
) {
  return h.json('/api/v1/ingest', { method: 'POST', headers, body: data as unknown as BodyInit })
}

describe('POST /api/v1/ingest', () => {
  test('accepts a gzip body', async () => {
    const h = harness()
    const reply = await post(h, gzipSync(JSON.stringify(body)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    })
    expect(reply).toEqual({ status: 200, body: { accepted: 1, rejected: [], warnings: [] } })
    expect(h.store.trace(span.traceId as string)?.spans.length).toBe(1)
  })

  test('refuses bad gzip with 400 and stores nothing', async () => {
    const h = harness()
    const reply = await post(h, 'not gzip at all', { 'content-encoding': 'gzip' })
    expect(reply.status).toBe(400)
    expect((reply.body as { error: string }).error).toStartWith('body is not valid gzip: ')
  })

  test('refuses an unknown content-encoding or content-type with 415', async () => {
    const h = harness()
    expect(await post(h, '{}', { 'content-encoding': 'br' })).toEqual({
      status: 415,
      body: { error: 'content-encoding "br" is not supported; send gzip, deflate or identity' },
    })
    expect(await post(h, '{}', { 'content-type': 'application/x-protobuf' })).toEqual({
      status: 415,
      body: {
        error: 'content-type "application/x-protobuf" is not accepted here; send application/json',
      },
    })
  })

  test('answers 413 with the limit and the size seen, by declared length', async () => {
    const h = harness({ bodyBytesMax: 2048 })
    const big = JSON.stringify({ spans: [1, 2, 3, 4, 5].map(spanWithId) })
    const headers = { 'content-type': 'application/json', 'content-length': String(big.length) }
    expect(await post(h, big, headers)).toEqual({
      status: 413,
      body: {
        error: `body is ${big.length} bytes; the limit is 2048 bytes after decompression (LLMLENS_BODY_MAX_BYTES)`,
      },
    })
  })

  test('answers 413 when the body only exceeds the limit after decompression', async () => {
    const h = harness({ bodyBytesMax: 64 * 1024 })
    // About 1 MiB of JSON that gzips to a few kilobytes: a small bomb.
    const bomb = JSON.stringify({ spans: [{ ...span, name: 'x' }], pad: 'a'.repeat(1 << 20) })
    const compressed = gzipSync(bomb)
    expect(compressed.length).toBeLessThan(64 * 1024)
    const reply = await post(h, compressed, { 'content-encoding': 'gzip' })
    expect(reply.status).toBe(413)
    expect((reply.body as { error: string }).error).toMatch(
      /^body is more than 65536 bytes \(\d+ read when it stopped\); the limit is 65536 bytes after decompression/,
    )
    expect(h.store.trace(span.traceId as string)).toBeNull()
  })

  test('answers 413 for a batch over the item limit', async () => {
    const h = harness()
    const many = { spans: Array.from({ length: LIMITS.spansPerRequestMax + 1 }, () => ({})) }
    expect(await h.post('/api/v1/ingest', many)).toEqual({
      status: 413,
      body: { error: 'spans has 10001 items; at most 10000 are allowed per request' },
    })
  })

  test('a resent batch changes nothing', async () => {
    const h = harness()
    const batch = { spans: [spanWithId(1), spanWithId(2)] }
    expect((await h.post('/api/v1/ingest', batch)).body).toMatchObject({ accepted: 2 })
    const first = h.store.trace(span.traceId as string)
    expect((await h.post('/api/v1/ingest', batch)).body).toMatchObject({ accepted: 2 })
    expect(h.store.trace(span.traceId as string)).toEqual(first)
    expect(first?.spans.length).toBe(2)
  })

  test('the same span twice in one batch is stored once', async () => {
    const h = harness()
    const reply = await h.post('/api/v1/ingest', { spans: [spanWithId(1), spanWithId(1)] })
    expect(reply.body).toMatchObject({ accepted: 2, rejected: [] })
    expect(h.store.trace(span.traceId as string)?.spans.length).toBe(1)
  })

  test('a body that is an array, or null, is refused', async () => {
    const h = harness()
    expect(await h.post('/api/v1/ingest', '[]')).toEqual({
      status: 400,
      body: { error: 'body must be a JSON object with spans and/or scores (actual: array)' },
    })
    expect(await h.post('/api/v1/ingest', 'null')).toEqual({
      status: 400,
      body: { error: 'body must be a JSON object with spans and/or scores (actual: null)' },
    })
  })

  test('long content is truncated with a marker and a warning, not refused', async () => {
    const h = harness()
    const long = 'y'.repeat(LIMITS.contentBytesMax + 10)
    const reply = await h.post('/api/v1/ingest', { spans: [{ ...span, input: long }] })
    expect(reply.body).toEqual({
      accepted: 1,
      rejected: [],
      warnings: [
        {
          index: 0,
          kind: 'span',
          path: 'spans[0].input',
          warning: `spans[0].input is ${long.length + 2} characters serialised; kept the first ${LIMITS.contentBytesMax}`,
        },
      ],
    })
    const stored = h.store.trace(span.traceId as string)?.spans[0]?.input as string
    expect(stored.length).toBeLessThanOrEqual(LIMITS.contentBytesMax)
    expect(stored).toEndWith(
      `…[truncated by llmlens: ${long.length + 2} characters, limit ${LIMITS.contentBytesMax}]`,
    )
  })

  test('untrusted keys such as __proto__ are stored as data and pollute nothing', async () => {
    const h = harness()
    const raw = `{"spans":[${JSON.stringify(span).replace('"metadata":{', '"metadata":{"__proto__":"x","constructor":"y",')}]}`
    expect((await h.post('/api/v1/ingest', raw)).body).toMatchObject({ accepted: 1 })
    const metadata = h.store.trace(span.traceId as string)?.spans[0]?.metadata as Record<
      string,
      unknown
    >
    expect(Object.keys(metadata).sort()).toEqual(['__proto__', 'constructor', 'feature'])
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  test('a metadata value that is an object is refused with the types metadata takes', async () => {
    const h = harness()
    const nested = { ...spanWithId(7), metadata: { plan: { tier: 'pro' } } }
    expect((await h.post('/api/v1/ingest', JSON.stringify({ spans: [nested] }))).body).toEqual({
      accepted: 0,
      rejected: [
        {
          index: 0,
          kind: 'span',
          path: 'spans[0].metadata.plan',
          error:
            'spans[0].metadata.plan must be string or number or boolean or null ' +
            '(actual: object {"tier":"pro"})',
        },
      ],
      warnings: [],
    })
  })

  test('scores named or labelled __proto__ are counted as data by every read', async () => {
    const h = harness()
    const scores = [
      { traceId: span.traceId, name: '__proto__', label: 'polluted', time: span.endTime },
      { traceId: span.traceId, name: 'helpfulness', label: '__proto__', time: span.endTime },
    ]
    await h.post('/api/v1/ingest', JSON.stringify({ spans: [span], scores }))
    const range = `from=0&to=${Number(span.endTime) + 1}`
    const summary = await h.json(`/api/v1/metrics/summary?${range}`)
    const compare = await h.json(
      `/api/v1/compare?${range}&dimension=model&a=${span.model}&b=other-model`,
    )

    expect(summary.status).toBe(200)
    const total = (summary.body as { total: { scores: Record<string, unknown> } }).total
    // As JSON text: an object literal's `__proto__` would set a prototype, not a key.
    expect(JSON.stringify(total.scores)).toBe(
      '{"__proto__":{"count":1,"mean":null,"labels":{"polluted":1}},' +
        '"helpfulness":{"count":1,"mean":null,"labels":{"__proto__":1}}}',
    )
    expect(compare.status).toBe(200)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((await h.json(`/api/v1/spans?${range}`)).status).toBe(200)
  })

  test('logs a warning line for rejected items', async () => {
    const h = harness()
    await h.post('/api/v1/ingest', { spans: [{ ...span, spanId: 'nope' }] })
    expect(
      h.log.lines.some((line) => line.includes('level=warn msg="rejected items" rejected=1')),
    ).toBe(true)
  })
})
