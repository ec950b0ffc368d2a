import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Llmlens } from '../llmlens.ts'
import { capturingFetch, fixedIds, manualClock } from '../testing/fixed.ts'
import { contentJson } from './wire.ts'

test("long content is cut with the server's marker, at the configured length", () => {
  const long = 'x'.repeat(500)
  const json = contentJson(long, 200)
  const marker = '…[truncated by llmlens: 502 characters, limit 200]'
  assert.equal(JSON.parse(json), `"${'x'.repeat(200 - marker.length - 1)}${marker}`)
  assert.equal(JSON.parse(json).length, 200)
  assert.equal(contentJson({ a: 1 }, 200), '{"a":1}')
})

test('content that is not JSON becomes a marker instead of failing the batch', () => {
  const cycle: Record<string, unknown> = {}
  cycle.self = cycle
  assert.equal(
    JSON.parse(contentJson(cycle, 100)),
    '[llmlens: content could not be serialised as JSON]',
  )
  assert.equal(
    JSON.parse(contentJson({ n: 10n }, 100)),
    '[llmlens: content could not be serialised as JSON]',
  )
})

test("every field is cut to the contract's limits before it is sent", async () => {
  const capture = capturingFetch()
  const lens = new Llmlens(
    { fetch: capture.fetch, flushOnExit: false, contentLengthMax: 100 },
    { clock: manualClock(1764756000000), ids: fixedIds(['a'.repeat(32)], ['b'.repeat(16)]) },
  )
  const metadata: Record<string, string | number> = { long: 'v'.repeat(5000), nan: Number.NaN }
  for (let i = 0; i < 70; i++) metadata[`k${i}`] = i
  metadata['x'.repeat(200)] = 'too long a key'
  lens.span(
    'n'.repeat(300),
    { tags: Array.from({ length: 70 }, (_, i) => `t${i}`.padEnd(200, '!')), metadata },
    (span) =>
      span.update({
        model: 'm'.repeat(300),
        usage: { inputTokens: -3, outputTokens: 1.6 },
        costUsd: Number.POSITIVE_INFINITY,
        error: { message: 'e'.repeat(9000), httpStatus: 999 },
        input: 'i'.repeat(1000),
      }),
  )
  assert.equal(await lens.flush(), true)
  const span = (capture.bodies[0] as { spans: Record<string, unknown>[] }).spans[0] as Record<
    string,
    unknown
  >
  assert.equal((span.name as string).length, 256)
  assert.equal((span.model as string).length, 256)
  assert.equal((span.tags as string[]).length, 64)
  assert.equal((span.tags as string[])[0]?.length, 128)
  const sent = span.metadata as Record<string, unknown>
  assert.equal(Object.keys(sent).length, 64)
  assert.equal((sent.long as string).length, 4096)
  assert.equal(sent.nan, null)
  assert.deepEqual(span.usage, { inputTokens: null, outputTokens: 2 })
  assert.equal(span.costUsd, null)
  assert.deepEqual(span.error, { message: 'e'.repeat(8192), httpStatus: null })
  assert.equal(span.status, 'error')
  assert.equal((span.input as string).length, 100)
})
