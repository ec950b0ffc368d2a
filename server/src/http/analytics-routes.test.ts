import { describe, expect, test } from 'bun:test'
import type { Anomalies, Compare, Drift } from '@llmlens/spec'
import Ajv2020 from 'ajv/dist/2020'
import { type Harness, harness } from '../testing/harness.ts'
import { CALM, type SimCall, Simulator, type TrafficShape } from '../testing/synthetic.ts'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
// 2026-02-02T00:00:00Z
const T0 = Date.UTC(2026, 1, 2)

let ids = 0
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0')

interface Traffic {
  model: string
  fromMs: number
  minutes: number
  seed: number
  shape?: TrafficShape
  tags?: string[]
  /** Changes each call before it is sent, by its minute. */
  alter?: (call: SimCall, minute: number) => void
}

/** Wire spans of simulated calls, spread evenly over each minute. */
function wireSpans(traffic: Traffic) {
  const simulator = new Simulator(traffic.seed)
  const spans = []
  for (let minute = 0; minute < traffic.minutes; minute++) {
    const bucketMs = traffic.fromMs + minute * MINUTE_MS
    const calls = simulator.bucketCalls(bucketMs, traffic.shape ?? CALM)
    for (const [i, call] of calls.entries()) {
      traffic.alter?.(call, minute)
      const id = ++ids
      const startTime = bucketMs + Math.floor(((i + 0.5) * MINUTE_MS) / calls.length)
      spans.push(wireSpan(id, traffic, startTime, call))
    }
  }
  return spans
}

function wireSpan(id: number, traffic: Traffic, startTime: number, call: SimCall) {
  return {
    traceId: hex(id, 32),
    spanId: hex(id, 16),
    name: `chat ${traffic.model}`,
    kind: 'llm',
    startTime,
    endTime: startTime + call.durationMs,
    provider: 'openai',
    model: traffic.model,
    endpoint: '/api/chat',
    status: call.error ? 'error' : 'ok',
    error: call.error ? { type: 'rate_limit', message: 'slow down', httpStatus: 429 } : null,
    usage: call.error ? {} : { inputTokens: call.inputTokens, outputTokens: call.outputTokens },
    costUsd: call.error ? null : call.costUsd,
    timeToFirstTokenMs: call.durationMs * 0.3,
    finishReason: call.error ? null : 'stop',
    tags: traffic.tags ?? [],
  }
}

async function ingest(h: Harness, spans: object[], scores: object[] = []) {
  for (let at = 0; at < Math.max(spans.length, scores.length); at += 5000) {
    const reply = await h.post('/api/v1/ingest', {
      spans: spans.slice(at, at + 5000),
      scores: scores.slice(at, at + 5000),
    })
    expect(reply.status).toBe(200)
  }
}

/** Validates a reply against the schema the OpenAPI document gives its route. */
async function expectDocumented(h: Harness, path: string, body: unknown) {
  const doc = (await h.json('/api/v1/openapi.json')).body as {
    paths: Record<
      string,
      { get: { responses: Record<string, { content: Record<string, { schema: object }> }> } }
    >
  }
  const schema = doc.paths[path]?.get.responses['200']?.content['application/json']?.schema
  const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(schema as object)
  expect([path, validate(body), validate.errors ?? null]).toEqual([path, true, null])
}

describe('GET /api/v1/anomalies', () => {
  // Three hours of gpt-4o; in its last hour latency goes 5× for 8 minutes from 2:30.
  const SPIKE_FROM = 150
  async function spikeHarness() {
    const h = harness()
    const spans = wireSpans({
      model: 'gpt-4o',
      fromMs: T0,
      minutes: 180,
      seed: 1,
      alter: (call, minute) => {
        if (minute >= SPIKE_FROM && minute < SPIKE_FROM + 8) call.durationMs *= 5
      },
    })
    await ingest(h, spans)
    return { h }
  }

  test('finds the spike, critical, per model, naming its slowest calls', async () => {
    const { h } = await spikeHarness()
    const reply = await h.json(`/api/v1/anomalies?from=${T0 + 2 * HOUR_MS}&to=${T0 + 3 * HOUR_MS}`)
    expect(reply.status).toBe(200)
    const body = reply.body as Anomalies

    const spike = body.anomalies.filter(
      (a) => a.metric === 'latencyMs' && a.severity === 'critical',
    )
    const spikeMinutes = spike.map((a) => (a.time - T0) / MINUTE_MS)
    expect(spikeMinutes).toEqual(expect.arrayContaining([150, 151, 152, 153, 154, 155, 156, 157]))
    expect(spike[0]).toMatchObject({ kind: 'bucket', key: { model: 'gpt-4o' }, method: 'robust' })
    expect(spike[0]?.zScore).toBeGreaterThan(4)
    expect(spike[0]?.spanIds).toHaveLength(5)
    expect(body).toMatchObject({ stepMs: MINUTE_MS, groupBy: ['model'], truncated: false })
    // Outside the spike nothing is critical (a sustained-shift check may see its first minute).
    const others = body.anomalies.filter(
      (a) =>
        a.severity === 'critical' &&
        a.kind === 'bucket' &&
        !spikeMinutes.includes((a.time - T0) / MINUTE_MS),
    )
    expect(others).toEqual([])
    await expectDocumented(h, '/api/v1/anomalies', body)
  })

  test('flags one call 10× slower than its model by span id', async () => {
    const h = harness()
    // A steady model whose calls spread as LLM calls do (σ of log latency 0.45, median 800 ms).
    const shape = { ...CALM, latencySigma: 0.45, dailySwing: 0 }
    const spans = wireSpans({ model: 'gpt-4o', fromMs: T0, minutes: 180, seed: 2, shape })
    const slow = spans.find((s) => s.startTime >= T0 + 130 * MINUTE_MS) as (typeof spans)[number]
    slow.endTime = slow.startTime + 10 * 800
    await ingest(h, spans)

    const reply = await h.json(`/api/v1/anomalies?from=${T0 + 2 * HOUR_MS}&to=${T0 + 3 * HOUR_MS}`)
    const flags = (reply.body as Anomalies).anomalies.filter((a) => a.kind === 'span')

    const flag = flags.find((a) => a.spanIds[0] === slow.spanId)
    expect(flag).toMatchObject({ metric: 'spanLatencyMs', value: 8000, severity: 'warning' })
    expect(flag?.expected).toBeCloseTo(800, -2)
    expect(flag?.zScore).toBeGreaterThan(4)
    // z ≥ 4 is about 3 calls in 100,000 of ordinary traffic: of these 1,800, one at most more.
    expect(flags.length).toBeLessThanOrEqual(2)
  })

  test('filters by severity and metric, and leaves span flags out on request', async () => {
    const { h } = await spikeHarness()
    const range = `from=${T0 + 2 * HOUR_MS}&to=${T0 + 3 * HOUR_MS}`
    const reply = await h.json(
      `/api/v1/anomalies?${range}&severity=critical&metric=errorRate&spans=false`,
    )
    expect((reply.body as Anomalies).anomalies.filter((a) => a.metric !== 'errorRate')).toEqual([])
  })

  test('says what is wrong with a bad query', async () => {
    const h = harness()
    const cases: [string, string][] = [
      [
        'stepMs=5000',
        'query parameter stepMs must be an integer from 10000 to 86400000 (actual: "5000")',
      ],
      [
        `from=0&to=${30 * 86_400_000}&stepMs=60000`,
        'query parameter stepMs (60000) makes 43200 buckets; at most 10000 allowed, so use a step of at least 259200',
      ],
      ['criticalZ=1.5', 'query parameter criticalZ (1.5) must be at least warningZ (2)'],
      [
        'warningZ=abc',
        'query parameter warningZ must be a number above 0 and at most 38 (actual: "abc")',
      ],
    ]
    for (const [query, error] of cases) {
      expect(await h.json(`/api/v1/anomalies?${query}`)).toEqual({ status: 400, body: { error } })
    }
  })
})

describe('GET /api/v1/compare', () => {
  // Two variants of one model for an hour, 2,000+ calls each; b is 10% slower.
  async function abHarness(slowerB: number) {
    const h = harness()
    const arm = (variant: string, seed: number, factor: number) =>
      wireSpans({
        model: 'gpt-4o',
        fromMs: T0,
        minutes: 60,
        seed,
        tags: [`variant:${variant}`],
        alter: (call) => {
          call.durationMs *= factor
        },
      })
    const a = arm('a', 11, 1)
    const b = arm('b', 12, slowerB)
    const scores = [...a, ...b]
      .filter((_, i) => i % 4 === 0)
      .map((span, i) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        name: 'helpfulness',
        value: (i % 10) / 10,
        source: 'user',
        time: span.endTime + 1000,
      }))
    await ingest(h, [...a, ...b], scores)
    return h
  }
  const range = `from=${T0}&to=${T0 + HOUR_MS}`

  test('a real 10% latency difference between variants is significant, side by side', async () => {
    const h = await abHarness(1.1)
    const reply = await h.json(`/api/v1/compare?${range}&dimension=variant&a=a&b=b`)
    expect(reply.status).toBe(200)
    const body = reply.body as Compare

    expect(body.a.count).toBeGreaterThan(1500)
    expect(body.b.count).toBeGreaterThan(1500)
    expect(body.tests.latencyMs).toMatchObject({ significant: true, warning: null })
    expect(body.tests.latencyMs?.pValue).toBeLessThan(0.01)
    const relative = (body.tests.latencyMs?.diff ?? 0) / (body.tests.latencyMs?.a ?? 1)
    expect(relative).toBeGreaterThan(0.04)
    expect(relative).toBeLessThan(0.16)
    expect(Object.keys(body.tests).sort()).toEqual([
      'costPerCallUsd',
      'errorRate',
      'inputTokens',
      'latencyMs',
      'outputTokens',
      'scores.helpfulness',
      'ttftMs',
    ])
    expect(body.tests.errorRate?.method).toBe('two-proportion z-test')
    expect(body.tests['scores.helpfulness']?.method).toBe("Welch's t-test")
    expect(body.a.scores.helpfulness?.count).toBeGreaterThan(300)
    await expectDocumented(h, '/api/v1/compare', body)
  })

  test('arms from the same traffic show no significant latency difference', async () => {
    const h = await abHarness(1)
    const body = (await h.json(`/api/v1/compare?${range}&dimension=tag&a=variant:a&b=variant:b`))
      .body as Compare
    expect(body.tests.latencyMs?.significant).toBe(false)
    expect(body.dimension).toBe('tag')
  })

  test('a small arm gets a plain warning; a missing one is a 400', async () => {
    const h = await abHarness(1)
    const body = (await h.json(`/api/v1/compare?${range}&dimension=variant&a=a&b=zzz`))
      .body as Compare
    expect(body.b.count).toBe(0)
    expect(body.warnings).toContain('no calls match variant=zzz in this range')
    expect(body.tests.latencyMs?.warning).toMatch(/^too few values to conclude: a has \d+, b has 0/)
    expect(body.tests.latencyMs?.significant).toBe(false)

    expect(await h.json(`/api/v1/compare?${range}&a=gpt-4o`)).toEqual({
      status: 400,
      body: {
        error:
          'query parameters a and b are required: the two values of model to compare (actual: a="gpt-4o", b=null)',
      },
    })
  })
})

describe('GET /api/v1/drift', () => {
  test('flags output tokens that grew, and nothing in a window like its reference', async () => {
    const h = harness()
    const grown = (call: SimCall, minute: number) => {
      if (minute >= 60) call.outputTokens = Math.round(call.outputTokens * 1.6)
    }
    await ingest(
      h,
      wireSpans({ model: 'gpt-4o', fromMs: T0, minutes: 120, seed: 21, alter: grown }),
    )

    const calm = (await h.json(`/api/v1/drift?from=${T0 + 30 * MINUTE_MS}&to=${T0 + HOUR_MS}`))
      .body as Drift
    expect(calm.referenceFrom).toBe(T0)
    expect(calm.flagged).toEqual([])

    const reply = await h.json(`/api/v1/drift?from=${T0 + HOUR_MS}&to=${T0 + 2 * HOUR_MS}`)
    const body = reply.body as Drift
    expect(body.flagged).toEqual(['outputTokens'])
    expect(body.features.find((f) => f.feature === 'outputTokens')?.level).toBe('major')
    expect(body.thresholds).toEqual({ psiMajor: 0.2, psiModerate: 0.1, alpha: 0.01 })
    await expectDocumented(h, '/api/v1/drift', body)
  })

  test('an explicit reference window must be a window', async () => {
    const h = harness()
    expect(
      await h.json(`/api/v1/drift?from=${T0}&to=${T0 + 1}&referenceFrom=${T0}&referenceTo=${T0}`),
    ).toEqual({
      status: 400,
      body: { error: `query parameter referenceFrom (${T0}) must be before referenceTo (${T0})` },
    })
  })
})
