import { describe, expect, test } from 'bun:test'
import { createFakeProvider } from './index.ts'
import { planLatency, spikeMultiplier } from './latency.ts'
import { createRandom, sampleLogNormal } from './random.ts'
import { resolveModel, resolveOptions } from './resolve.ts'
import { eventDelaysMs } from './sse.ts'
import { postJson, useFakeProvider } from './test-support.ts'

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN
}

describe('latency sampling', () => {
  test('lognormal draws have the configured median and 95th percentile', () => {
    const random = createRandom(5)
    const draws = Array.from({ length: 20_000 }, () => sampleLogNormal(random, 800, 2000))
    expect(quantile(draws, 0.5)).toBeGreaterThan(760)
    expect(quantile(draws, 0.5)).toBeLessThan(840)
    expect(quantile(draws, 0.95)).toBeGreaterThan(1850)
    expect(quantile(draws, 0.95)).toBeLessThan(2150)
  })

  test('the same seed gives the same draws', () => {
    const first = createRandom(42)
    const second = createRandom(42)
    const drawsOf = (random: () => number) => Array.from({ length: 5 }, random)
    expect(drawsOf(first)).toEqual(drawsOf(second))
  })

  test('header overrides replace the sampled times, and ttft never exceeds the total', () => {
    const options = resolveOptions({ latency: 'realistic' })
    const model = resolveModel(options, 'gpt-4o')
    const plan = planLatency(model, createRandom(1), 1, { totalMs: 100, ttftMs: 500 })
    expect(plan).toEqual({ totalMs: 100, ttftMs: 100, chunkDelayMs: null })
  })

  test('default options answer at once; realistic built-ins take their time', () => {
    const none = resolveModel(resolveOptions(), 'gpt-4o')
    const realistic = resolveModel(resolveOptions({ latency: 'realistic' }), 'gpt-4o')
    expect(planLatency(none, createRandom(1), 1, { totalMs: null, ttftMs: null })).toEqual({
      totalMs: 0,
      ttftMs: 0,
      chunkDelayMs: null,
    })
    const plan = planLatency(realistic, createRandom(1), 1, { totalMs: null, ttftMs: null })
    expect(plan.totalMs).toBeGreaterThan(100)
    expect(plan.ttftMs).toBeGreaterThan(0)
    expect(plan.ttftMs).toBeLessThanOrEqual(plan.totalMs)
  })
})

describe('latency spikes', () => {
  const random = createRandom(9)

  test('a windowed spike multiplies only its model, only inside the window', () => {
    const spikes = [{ model: 'gpt-4o', multiplier: 5, startMs: 1000, durationMs: 500 }]
    expect(spikeMultiplier(spikes, 'gpt-4o', 999, random)).toBe(1)
    expect(spikeMultiplier(spikes, 'gpt-4o', 1000, random)).toBe(5)
    expect(spikeMultiplier(spikes, 'gpt-4o', 1499, random)).toBe(5)
    expect(spikeMultiplier(spikes, 'gpt-4o', 1500, random)).toBe(1)
    expect(spikeMultiplier(spikes, 'gpt-4o-mini', 1200, random)).toBe(1)
  })

  test('a fractional spike slows about that share of calls', () => {
    const spikes = [{ multiplier: 3, fraction: 0.2 }]
    const slowed = Array.from({ length: 5000 }, () => spikeMultiplier(spikes, 'any', 0, random))
    const share = slowed.filter((multiplier) => multiplier === 3).length / slowed.length
    expect(share).toBeGreaterThan(0.17)
    expect(share).toBeLessThan(0.23)
  })
})

describe('stream timing', () => {
  test('events wait for the first token, then are spread over the rest of the call', () => {
    const events = [
      { data: 'start' },
      ...[1, 2, 3].map((n) => ({ data: n, content: true })),
      { data: 'end' },
    ]
    const delays = eventDelaysMs(events, { totalMs: 300, ttftMs: 100, chunkDelayMs: null })
    expect(delays).toEqual([0, 100, 100, 100, 0])
  })

  test('a fixed chunk delay wins over spreading', () => {
    const events = [1, 2, 3].map((n) => ({ data: n, content: true }))
    expect(eventDelaysMs(events, { totalMs: 1000, ttftMs: 50, chunkDelayMs: 7 })).toEqual([
      50, 7, 7,
    ])
  })
})

describe('latency over HTTP', () => {
  const fake = useFakeProvider()
  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'one two three' }] }

  test('x-fake-latency-ms delays a non-streamed answer by that long', async () => {
    const startedMs = performance.now()
    const response = await postJson(`${fake.url()}/v1/chat/completions`, request, {
      'x-fake-latency-ms': '120',
    })
    await response.json()
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(115)
  })

  test('a stream sends headers at once and its first token after x-fake-ttft-ms', async () => {
    const startedMs = performance.now()
    const response = await postJson(
      `${fake.url()}/v1/chat/completions`,
      { ...request, stream: true },
      { 'x-fake-latency-ms': '200', 'x-fake-ttft-ms': '100' },
    )
    const headersMs = performance.now() - startedMs
    const reader = response.body?.getReader()
    const decoder = new TextDecoder()
    let received = ''
    let firstTokenMs = Number.NaN
    while (reader) {
      const { value, done } = await reader.read()
      if (done) break
      received += decoder.decode(value)
      if (Number.isNaN(firstTokenMs) && received.includes('"content":"Fake ')) {
        firstTokenMs = performance.now() - startedMs
      }
    }
    const totalMs = performance.now() - startedMs

    expect(headersMs).toBeLessThan(80)
    expect(firstTokenMs).toBeGreaterThanOrEqual(95)
    expect(totalMs).toBeGreaterThanOrEqual(195)
    expect(received.endsWith('data: [DONE]\n\n')).toBe(true)
  })

  test('a malformed latency header is a 400 that says what is allowed', async () => {
    const response = await postJson(`${fake.url()}/v1/chat/completions`, request, {
      'x-fake-latency-ms': 'soon',
    })
    expect(response.status).toBe(400)
    expect((await response.json()).error.message).toBe(
      'x-fake-latency-ms must be a number of milliseconds >= 0 (actual: "soon")',
    )
  })

  test('a configured spike slows its model while active', async () => {
    let nowMs = 0
    const spiky = createFakeProvider({
      models: { 'gpt-4o': { latency: { medianMs: 20, p95Ms: 20 } } },
      spikes: [{ model: 'gpt-4o', multiplier: 6, startMs: 1000, durationMs: 1000 }],
      now: () => nowMs,
    })
    const timed = async () => {
      const startedMs = performance.now()
      await spiky.fetch(
        new Request('http://fake/v1/chat/completions', {
          method: 'POST',
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
        }),
      )
      return performance.now() - startedMs
    }
    const before = await timed()
    nowMs = 1500
    const during = await timed()
    expect(before).toBeLessThan(60)
    expect(during).toBeGreaterThanOrEqual(115)
  })
})
