import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Llmlens } from './llmlens.ts'
import { openaiChat } from './observe/openai-chat.ts'
import { assertValidIngestBody, ingestVector } from './testing/contract.ts'
import { capturingFetch, fixedIds, manualClock } from './testing/fixed.ts'
import { type RunningProcess, startServer } from './testing/processes.ts'
import { getTrace } from './testing/server-api.ts'
import type { SpanError, Usage } from './types.ts'

// The SDK builds, for the calls the vectors describe, exactly the bodies in
// spec/vectors/ingest/*.json; the real server then stores them exactly as the vectors say.

type VectorSpan = Record<string, unknown> & {
  traceId: string
  spanId: string
  name: string
  startTime: number
  endTime: number
}

/** An SDK instance whose clock, ids and transport the test controls. */
function sdkFor(startMs: number, traceId: string, spanId: string) {
  const clock = manualClock(startMs)
  const capture = capturingFetch()
  const lens = new Llmlens(
    { fetch: capture.fetch, flushOnExit: false, environment: 'production', release: '2026.12.1' },
    { clock, ids: fixedIds([traceId], [spanId]) },
  )
  return { lens, clock, bodies: capture.bodies }
}

/** Makes the span a vector describes through the public API: `span()` and `update()`. */
async function replay(wire: VectorSpan) {
  const sdk = sdkFor(wire.startTime, wire.traceId, wire.spanId)
  sdk.lens.span(
    wire.name,
    {
      kind: wire.kind as 'llm',
      endpoint: wire.endpoint as string,
      userId: wire.userId as string,
      sessionId: wire.sessionId as string,
      tags: wire.tags as string[],
      metadata: wire.metadata as Record<string, string>,
      input: wire.input,
    },
    (span) => {
      span.update({
        provider: (wire.provider as string | null) ?? undefined,
        model: wire.model as string,
        usage: (wire.usage as Usage | null) ?? undefined,
        costUsd: (wire.costUsd as number | null) ?? undefined,
        timeToFirstTokenMs: (wire.timeToFirstTokenMs as number | null) ?? undefined,
        finishReason: (wire.finishReason as string | null) ?? undefined,
        output: wire.output ?? undefined,
        error: (wire.error as SpanError | null) ?? undefined,
      })
      sdk.clock.advance(wire.endTime - wire.startTime)
    },
  )
  assert.equal(await sdk.lens.flush(), true)
  assert.equal(sdk.bodies.length, 1)
  return sdk.bodies[0] as { spans: Record<string, unknown>[] }
}

const REPLAYED = [
  'design-example',
  'caller-cost-wins',
  'cached-and-reasoning-tokens',
  'error-category-from-status',
  'provider-inferred',
  'unpriced-model',
]

let server: RunningProcess
before(async () => {
  server = await startServer()
})
after(() => server.stop())

/** Sends a body to the real server under a fresh trace id and reads back what it stored. */
async function storedBy(
  body: { spans?: Record<string, unknown>[]; scores?: unknown[] },
  traceId: string,
) {
  const fresh =
    traceId.slice(0, 24) +
    Math.floor(Math.random() * 0xffffffff)
      .toString(16)
      .padStart(8, '0')
  const json = JSON.stringify(body).replaceAll(traceId, fresh)
  const reply = await fetch(`${server.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: json,
  })
  assert.equal(reply.status, 200)
  const trace = await getTrace(server.url, fresh)
  return JSON.parse(JSON.stringify(trace).replaceAll(fresh, traceId)) as typeof trace
}

function withoutCost(span: Record<string, unknown>) {
  const { costUsd, ...rest } = span
  return { rest, costUsd: costUsd as number | null }
}

function assertStoredAsVector(
  stored: Record<string, unknown>[],
  expected: Record<string, unknown>[],
) {
  assert.equal(stored.length, expected.length)
  stored.forEach((span, index) => {
    const actual = withoutCost(span)
    const wanted = withoutCost(expected[index] as Record<string, unknown>)
    assert.deepEqual(actual.rest, wanted.rest)
    if (wanted.costUsd === null) assert.equal(actual.costUsd, null)
    else assert.ok(Math.abs((actual.costUsd as number) - wanted.costUsd) <= 1e-9 * wanted.costUsd)
  })
}

describe('the SDK against spec/vectors/ingest', () => {
  for (const name of REPLAYED) {
    test(`${name}: the body is the vector's, and is stored as the vector says`, async () => {
      const vector = ingestVector(name)
      const wire = vector.request.body?.spans?.[0] as VectorSpan
      const body = await replay(wire)
      assertValidIngestBody(body)
      assert.deepEqual(body, vector.request.body)
      const trace = await storedBy(body, wire.traceId)
      assertStoredAsVector(trace.spans, vector.stored.spans)
    })
  }

  test('error-category-from-message: the SDK states the status, and the server stores the same', async () => {
    const vector = ingestVector('error-category-from-message')
    const wire = vector.request.body?.spans?.[0] as VectorSpan
    const body = await replay(wire)
    assertValidIngestBody(body)
    assert.deepEqual(body, { spans: [{ ...wire, status: 'error' }] })
    const trace = await storedBy(body, wire.traceId)
    assertStoredAsVector(trace.spans, vector.stored.spans)
  })

  test('design-example from a streamed chat completion, chunk by chunk', async () => {
    const vector = ingestVector('design-example')
    const wire = vector.request.body?.spans?.[0] as VectorSpan
    const sdk = sdkFor(wire.startTime, wire.traceId, wire.spanId)
    const span = sdk.lens.recorder.startSpan({
      name: 'chat',
      kind: 'llm',
      attributes: {
        endpoint: '/api/chat',
        userId: 'u-17',
        sessionId: 's-3',
        tags: ['beta'],
        metadata: { feature: 'summaries' },
      },
    })
    assert.ok(span)
    span.provider = 'openai'
    openaiChat.request(span, {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Summarise this.' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    const reader = openaiChat.stream?.(span)
    assert.ok(reader)
    const chunk = (delta: object, finish: string | null = null) => ({
      model: 'gpt-4o-mini',
      choices: [{ index: 0, delta, finish_reason: finish }],
    })
    reader.event(chunk({ role: 'assistant', content: '' }))
    sdk.clock.advance(210)
    reader.event(chunk({ content: 'A ' }))
    sdk.clock.advance(300)
    reader.event(chunk({ content: 'summary.' }))
    reader.event(chunk({}, 'stop'))
    reader.event({
      model: 'gpt-4o-mini',
      choices: [],
      usage: {
        prompt_tokens: 120,
        completion_tokens: 80,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    })
    sdk.clock.advance(330)
    reader.end()
    span.end()
    assert.equal(await sdk.lens.flush(), true)
    assert.deepEqual(sdk.bodies, [vector.request.body])
  })

  test('scores: the valid ones are sent as the vector has them; the empty one never leaves', async () => {
    const vector = ingestVector('scores')
    const scores = vector.request.body?.scores as Record<string, unknown>[]
    const errors: string[] = []
    const clock = manualClock(0)
    const capture = capturingFetch()
    const lens = new Llmlens(
      { fetch: capture.fetch, flushOnExit: false, onError: (event) => errors.push(event.message) },
      { clock },
    )
    for (const score of scores) {
      clock.advance(((score.time as number | undefined) ?? 0) - clock.wallMs())
      lens.score(score as unknown as Parameters<typeof lens.score>[0])
    }
    assert.equal(await lens.flush(), true)
    const expected = scores.slice(0, 2).map(
      (score): Record<string, unknown> => ({
        spanId: null,
        value: null,
        label: null,
        comment: null,
        ...score,
      }),
    )
    assert.deepEqual(capture.bodies, [{ scores: expected }])
    assertValidIngestBody(capture.bodies[0])
    assert.deepEqual(errors, [
      'score empty needs a value (a finite number) or a label (actual: value undefined, label undefined)',
    ])
    const traceId = expected[0]?.traceId as string
    const trace = await storedBy(capture.bodies[0] as { scores: unknown[] }, traceId)
    assert.deepEqual(trace.scores, vector.stored.scores)
  })

  test('oversized-field: where the vector is refused, the SDK cuts the label and is accepted', async () => {
    const vector = ingestVector('oversized-field')
    const wire = vector.request.body?.spans?.[0] as VectorSpan
    const body = await replay(wire)
    assertValidIngestBody(body)
    assert.equal((body.spans[0] as { model: string }).model, 'm'.repeat(256))
  })
})
