import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createFakeProvider, type RunningFakeProvider } from '../../fake-provider/src/index.ts'
import { callForReal } from './provider-calls.ts'
import type { WireSpan } from './wire.ts'

let fake: RunningFakeProvider
beforeAll(async () => {
  fake = await createFakeProvider().start(0)
})
afterAll(() => fake.stop())

const never = new AbortController().signal

function planned(overrides: Partial<WireSpan>): WireSpan {
  return {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    parentSpanId: null,
    name: 'chat gpt-4o-mini',
    kind: 'llm',
    startTime: 0,
    endTime: 1,
    provider: 'openai',
    model: 'gpt-4o-mini',
    endpoint: '/api/chat',
    status: 'ok',
    error: null,
    usage: null,
    costUsd: null,
    timeToFirstTokenMs: null,
    finishReason: null,
    userId: 'u-1',
    sessionId: 's-1',
    environment: 'production',
    release: '2026.12.1',
    tags: ['variant:a'],
    metadata: { stream: true },
    input: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'How do I reset my password?' },
    ],
    output: null,
    ...overrides,
  }
}

describe('callForReal', () => {
  test('measures a streamed OpenAI call: times, first token, usage, output', async () => {
    const before = Date.now()
    const span = await callForReal(fake.url, planned({}), never)
    expect(span.status).toBe('ok')
    expect(span.startTime).toBeGreaterThanOrEqual(before)
    expect(span.endTime).toBeGreaterThanOrEqual(span.startTime)
    expect(span.timeToFirstTokenMs).not.toBeNull()
    expect(span.finishReason).toBe('stop')
    expect(span.output?.content).toBe('Fake reply: How do I reset my password?')
    expect(span.usage?.inputTokens).toBeGreaterThan(0)
    expect(span.usage?.outputTokens).toBeGreaterThan(0)
    expect(span.traceId).toBe('a'.repeat(32))
  })

  test('reads Anthropic usage into the contract: cached tokens counted inside input', async () => {
    const span = await callForReal(
      fake.url,
      planned({ provider: 'anthropic', model: 'claude-3-5-haiku', metadata: { stream: false } }),
      never,
    )
    expect(span.status).toBe('ok')
    expect(span.finishReason).toBe('end_turn')
    expect(span.timeToFirstTokenMs).toBeNull()
    expect(span.usage).toMatchObject({
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    })
    expect(span.usage?.inputTokens).toBeGreaterThan(0)
  })

  test.each([
    ['rate_limit', 429],
    ['server_error', 500],
    ['context_length', 400],
  ] as const)(
    'a planned %s error comes back from the provider as that category',
    async (type, status) => {
      const error = { type, message: 'planned' }
      const span = await callForReal(fake.url, planned({ status: 'error', error }), never)
      expect(span.status).toBe('error')
      expect(span.error?.type).toBe(type)
      expect(span.error?.httpStatus).toBe(status)
      expect(span.error?.message).not.toBe('planned')
      expect(span.usage).toBeNull()
    },
  )

  test('a call cut short by shutdown is cancelled, not timed out', async () => {
    const shutdown = new AbortController()
    const error = { type: 'timeout' as const, message: 'planned' }
    const pending = callForReal(fake.url, planned({ status: 'error', error }), shutdown.signal)
    setTimeout(() => shutdown.abort(), 20)
    const span = await pending
    expect(span.status).toBe('error')
    expect(span.error?.type).toBe('cancelled')
  })
})
