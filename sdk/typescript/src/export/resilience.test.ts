import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import { createLlmlens, type LlmlensOptions } from '../index.ts'
import type { Llmlens } from '../llmlens.ts'
import { type RunningProcess, startFakeProvider } from '../testing/processes.ts'
import { deadUrl, type StubAnswer, startStubCollector } from '../testing/stub-collector.ts'
import type { LlmlensErrorEvent } from '../types.ts'

// Whatever the collector does, the application's calls succeed, memory stays bounded and
// nothing is thrown at the application.

let provider: RunningProcess
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => unhandled.push(reason)

before(async () => {
  provider = await startFakeProvider()
  process.on('unhandledRejection', onUnhandled)
})
after(async () => {
  process.off('unhandledRejection', onUnhandled)
  assert.deepEqual(unhandled, [], 'no promise of the SDK was left rejected')
  await provider.stop()
})

function setup(options: LlmlensOptions) {
  const errors: LlmlensErrorEvent[] = []
  const lens = createLlmlens({
    flushOnExit: false,
    ...options,
    onError: (event) => errors.push(event),
  })
  const openai = lens.observe(
    new OpenAI({ baseURL: `${provider.url}/v1`, apiKey: 'test', maxRetries: 0 }),
  )
  return { lens, openai, errors }
}

async function calls(openai: OpenAI, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const reply = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `call ${i}` }],
    })
    assert.equal(reply.choices[0]?.message.content, `Fake reply: call ${i}`)
  }
}

async function withStub(
  answer: (index: number) => StubAnswer,
  run: (url: string, bodies: unknown[]) => Promise<void>,
) {
  const stub = await startStubCollector(answer)
  try {
    await run(stub.url, stub.bodies)
  } finally {
    await stub.stop()
  }
}

describe('a collector in trouble', () => {
  test('down: calls succeed, the batch fails after its retries, onError hears it', async () => {
    const { lens, openai, errors } = setup({ url: await deadUrl(), exportTimeoutMs: 1500 })
    await calls(openai, 5)
    assert.equal(await lens.flush(10_000), true)
    assert.deepEqual(lens.stats(), {
      queued: 0,
      dropped: 0,
      exported: 0,
      failed: 5,
      rejected: 0,
      sampledOut: 0,
    })
    assert.equal(errors.length, 1)
    assert.equal(errors[0]?.kind, 'export-failed')
    assert.match(errors[0]?.message ?? '', /collector unreachable/)
    await lens.shutdown()
  })

  test('hanging: the queue stays at its bound and counts what it dropped', async () => {
    await withStub(
      () => 'hang',
      async (url, bodies) => {
        const { lens, openai } = setup({
          url,
          queueSizeMax: 16,
          batchSizeMax: 8,
          exportTimeoutMs: 60_000,
        })
        await calls(openai, 100)
        // The first 8 spans left in a request that never returns; of the 92 after them the
        // queue keeps the newest 16.
        assert.deepEqual(lens.stats(), {
          queued: 16,
          dropped: 76,
          exported: 0,
          failed: 0,
          rejected: 0,
          sampledOut: 0,
        })
        assert.equal(bodies.length, 1)
        assert.equal(await lens.shutdown(50), false, 'gave up waiting, without throwing')
        assert.equal(lens.stats().dropped, 92, 'the queue was discarded on shutdown, and counted')
      },
    )
  })

  test('hanging past the export deadline: the attempt is abandoned, not retried', async () => {
    await withStub(
      () => 'hang',
      async (url, bodies) => {
        const { lens, openai, errors } = setup({ url, exportTimeoutMs: 200 })
        await calls(openai, 3)
        assert.equal(await lens.flush(10_000), true)
        assert.equal(bodies.length, 1)
        assert.equal(lens.stats().failed, 3)
        assert.match(errors[0]?.message ?? '', /did not answer within/)
        await lens.shutdown()
      },
    )
  })

  test('500: not retried; the batch is counted as failed', async () => {
    await withStub(
      () => ({ status: 500 }),
      async (url, bodies) => {
        const { lens, openai, errors } = setup({ url })
        await calls(openai, 4)
        assert.equal(await lens.flush(), true)
        assert.equal(bodies.length, 1, 'one attempt')
        assert.equal(lens.stats().failed, 4)
        assert.match(errors[0]?.message ?? '', /collector answered 500/)
        await lens.shutdown()
      },
    )
  })

  test('429 with Retry-After: waits as told, then delivers', async () => {
    await withStub(
      (index) => (index === 0 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200 }),
      async (url, bodies) => {
        const { lens, openai, errors } = setup({ url })
        await calls(openai, 4)
        assert.equal(await lens.flush(), true)
        assert.equal(bodies.length, 2, 'the same batch twice')
        assert.deepEqual(bodies[0], bodies[1])
        assert.equal(lens.stats().exported, 4)
        assert.deepEqual(errors, [])
        await lens.shutdown()
      },
    )
  })

  test('429 with a Retry-After past the deadline: gives up at once instead of waiting', async () => {
    await withStub(
      () => ({ status: 429, headers: { 'retry-after': '3600' } }),
      async (url, bodies) => {
        const { lens, openai, errors } = setup({ url, exportTimeoutMs: 5_000 })
        await calls(openai, 2)
        assert.equal(await lens.flush(), true)
        assert.equal(bodies.length, 1)
        assert.equal(lens.stats().failed, 2)
        assert.match(errors[0]?.message ?? '', /would pass the 5000 ms deadline/)
        await lens.shutdown()
      },
    )
  })

  test('503 and then success: retried with backoff', async () => {
    await withStub(
      (index) => (index < 2 ? { status: 503 } : { status: 200 }),
      async (url, bodies) => {
        const { lens, openai } = setup({ url })
        await calls(openai, 1)
        assert.equal(await lens.flush(), true)
        assert.equal(bodies.length, 3)
        assert.equal(lens.stats().exported, 1)
        await lens.shutdown()
      },
    )
  })

  test('the exporter never traces its own requests, even through a wrapped global fetch', async () => {
    await withStub(
      () => ({ status: 200 }),
      async (url, bodies) => {
        const { lens } = setup({ url })
        const originalFetch = globalThis.fetch
        globalThis.fetch = lens.wrap(originalFetch, { name: 'fetch', kind: 'tool' })
        try {
          lens.span('work', () => 'done')
          assert.equal(await lens.flush(), true)
          assert.equal(await lens.flush(), true)
        } finally {
          globalThis.fetch = originalFetch
        }
        const names = bodies.flatMap((body) =>
          (body as { spans: { name: string }[] }).spans.map((s) => s.name),
        )
        assert.deepEqual(names, ['work'])
        await lens.shutdown()
      },
    )
  })
})

describe('an application with llmlens switched off', () => {
  test('enabled: false records and sends nothing', async () => {
    await withStub(
      () => ({ status: 200 }),
      async (url, bodies) => {
        const lens: Llmlens = createLlmlens({ url, enabled: false })
        const openai = lens.observe(new OpenAI({ baseURL: `${provider.url}/v1`, apiKey: 'test' }))
        await calls(openai, 2)
        lens.span('work', (span) => span.update({ model: 'x' }))
        assert.equal(await lens.flush(), true)
        assert.equal(bodies.length, 0)
        assert.equal(lens.stats().queued, 0)
      },
    )
  })
})
