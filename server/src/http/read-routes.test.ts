import { describe, expect, test } from 'bun:test'
import type {
  ErrorsReport,
  ScoresPage,
  SpansPage,
  StoredScore,
  Summary,
  Timeseries,
  Trace,
} from '@llmlens/spec'
import { type Harness, harness } from '../testing/harness.ts'
import { ROUTE_DOCS } from './app.ts'
import { autoStepMs } from './read-routes.ts'

// 2026-01-15T12:00:00Z. Every span of the fixture starts within ten seconds after it.
const T = Date.UTC(2026, 0, 15, 12)
const RANGE = `from=${T}&to=${T + 10_000}`

const traceId = (n: number) => n.toString(16).padStart(32, '0')
const spanId = (n: number) => n.toString(16).padStart(16, '0')

interface Call {
  id: number
  trace: number
  parent?: number
  atMs: number
  durationMs: number
  provider: string
  model: string
  endpoint: string
  environment: string
  release: string
  tags?: string[]
  ttftMs?: number
  inputTokens: number
  outputTokens?: number
  costUsd?: number
  error?: { type: string; message: string; httpStatus?: number }
}

/** One LLM call as an SDK sends it: wire shape, epoch-ms times, a prompt and a completion. */
function wireSpan(call: Call) {
  return {
    traceId: traceId(call.trace),
    spanId: spanId(call.id),
    parentSpanId: call.parent === undefined ? null : spanId(call.parent),
    name: `${call.model} ${call.endpoint}`,
    kind: 'llm',
    startTime: T + call.atMs,
    endTime: T + call.atMs + call.durationMs,
    provider: call.provider,
    model: call.model,
    endpoint: call.endpoint,
    environment: call.environment,
    release: call.release,
    tags: call.tags ?? [],
    status: call.error ? 'error' : 'ok',
    error: call.error ?? null,
    usage: { inputTokens: call.inputTokens, outputTokens: call.outputTokens ?? null },
    costUsd: call.costUsd ?? null,
    timeToFirstTokenMs: call.ttftMs ?? null,
    input: [{ role: 'user', content: `question ${call.id}` }],
    output: { role: 'assistant', content: `answer ${call.id}` },
  }
}

const gpt = { provider: 'openai', model: 'gpt-4o' }
const claude = { provider: 'anthropic', model: 'claude-sonnet-4' }
const prod = { environment: 'production' }

/**
 * Six calls in five traces. Costs are given by the caller and are sums of powers of two, so
 * every cost total below is exact. Call 6 runs a model without a price: it stays unpriced.
 *
 * | id | trace | model           | endpoint | env        | release | tags         | at   | ms   |
 * |  1 | 1     | gpt-4o          | /chat    | production | r1      | beta         | 0    | 1000 |
 * |  2 | 1 (←1)| gpt-4o          | /chat    | production | r1      |              | 500  | 200  |
 * |  3 | 2     | claude-sonnet-4 | /search  | production | r2      |              | 2000 | 300  |
 * |  4 | 3     | gpt-4o          | /search  | staging    | r2      | beta, canary | 3000 | 400  |
 * |  5 | 4     | claude-sonnet-4 | /chat    | production | r1      |              | 4000 | 100  |
 * |  6 | 5     | my-finetune-7b  | /chat    | production | r1      |              | 5000 | 500  |
 */
const CALLS: Call[] = [
  {
    id: 1,
    trace: 1,
    atMs: 0,
    durationMs: 1000,
    ...gpt,
    endpoint: '/chat',
    ...prod,
    release: 'r1',
    tags: ['beta'],
    ttftMs: 40,
    inputTokens: 100,
    outputTokens: 10,
    costUsd: 0.5,
  },
  {
    id: 2,
    trace: 1,
    parent: 1,
    atMs: 500,
    durationMs: 200,
    ...gpt,
    endpoint: '/chat',
    ...prod,
    release: 'r1',
    ttftMs: 60,
    inputTokens: 200,
    outputTokens: 20,
    costUsd: 0.25,
  },
  {
    id: 3,
    trace: 2,
    atMs: 2000,
    durationMs: 300,
    ...claude,
    endpoint: '/search',
    ...prod,
    release: 'r2',
    inputTokens: 300,
    outputTokens: 0,
    costUsd: 0.125,
    error: { type: 'rate_limit', message: 'Too many requests', httpStatus: 429 },
  },
  {
    id: 4,
    trace: 3,
    atMs: 3000,
    durationMs: 400,
    ...gpt,
    endpoint: '/search',
    environment: 'staging',
    release: 'r2',
    tags: ['beta', 'canary'],
    ttftMs: 80,
    inputTokens: 400,
    outputTokens: 40,
    costUsd: 1,
  },
  {
    id: 5,
    trace: 4,
    atMs: 4000,
    durationMs: 100,
    ...claude,
    endpoint: '/chat',
    ...prod,
    release: 'r1',
    inputTokens: 500,
    costUsd: 0.125,
    error: { type: 'timeout', message: 'deadline exceeded' },
  },
  {
    id: 6,
    trace: 5,
    atMs: 5000,
    durationMs: 500,
    provider: 'vllm',
    model: 'my-finetune-7b',
    endpoint: '/chat',
    ...prod,
    release: 'r1',
    inputTokens: 50,
    outputTokens: 5,
  },
]

const FIRST = CALLS[0] as Call

const score = (fields: Record<string, unknown>) => ({ source: 'user', ...fields })

/**
 * The fixture as three requests: a score that arrives before its span, the spans, then scores
 * on spans and on whole traces (no spanId: they count for the trace's root span).
 */
async function fixture(): Promise<Harness> {
  const h = harness()
  const early = score({
    traceId: traceId(2),
    spanId: spanId(3),
    name: 'helpfulness',
    value: 0.25,
    source: 'eval',
    time: T + 2500,
  })
  expect((await h.post('/api/v1/ingest', { scores: [early] })).body).toMatchObject({ accepted: 1 })
  expect((await h.post('/api/v1/ingest', { spans: CALLS.map(wireSpan) })).body).toMatchObject({
    accepted: 6,
    rejected: [],
  })
  const scores = [
    score({
      traceId: traceId(1),
      spanId: spanId(2),
      name: 'helpfulness',
      value: 0.5,
      time: T + 6000,
    }),
    score({ traceId: traceId(1), name: 'helpfulness', value: 1, time: T + 6100 }),
    score({ traceId: traceId(3), spanId: spanId(4), name: 'thumbs', label: 'up', time: T + 6200 }),
    score({ traceId: traceId(4), name: 'thumbs', label: 'down', time: T + 6300 }),
    score({ traceId: traceId(1), spanId: spanId(1), name: 'thumbs', label: 'up', time: T + 6400 }),
  ]
  expect((await h.post('/api/v1/ingest', { scores })).body).toMatchObject({
    accepted: 5,
    rejected: [],
  })
  return h
}

async function get<T>(h: Harness, path: string): Promise<T> {
  const reply = await h.json(path)
  if (reply.status !== 200)
    throw new Error(`GET ${path}: ${reply.status} ${JSON.stringify(reply.body)}`)
  return reply.body as T
}

type Group = Summary['groups'][number]

const summaryOf = (h: Harness, query: string) => get<Summary>(h, `/api/v1/metrics/summary?${query}`)
const spansOf = (h: Harness, query: string) => get<SpansPage>(h, `/api/v1/spans?${query}`)
/** The fixture numbers of spans, in the order given. */
const ids = (spans: readonly { spanId: string }[]) =>
  spans.map((span) => Number.parseInt(span.spanId, 16))

describe('GET /api/v1/metrics/summary', () => {
  test('totals the range: counts, latency and TTFT percentiles, usage, cost, errors', async () => {
    const h = await fixture()
    const { from, to, total, groups, unpricedModels } = await summaryOf(h, RANGE)

    expect([from, to]).toEqual([T, T + 10_000])
    expect(groups).toEqual([])
    expect(total.count).toBe(6)
    expect(total.errorCount).toBe(2)
    expect(total.errorRate).toBe(2 / 6)
    // Latencies sorted: 100 200 300 400 500 1000. Rank (n-1)q: p50 2.5 → 350, p95 4.75 → 875,
    // p99 4.95 → 975 (linear between closest ranks); mean 2500 / 6.
    expect(total.latencyMs.p50).toBeCloseTo(350, 9)
    expect(total.latencyMs.p95).toBeCloseTo(875, 9)
    expect(total.latencyMs.p99).toBeCloseTo(975, 9)
    expect(total.latencyMs.mean).toBeCloseTo(2500 / 6, 9)
    expect(total.latencyMs.max).toBe(1000)
    // TTFT only where streamed: 40 60 80 → p50 60, p95 rank 1.9 → 78, p99 rank 1.98 → 79.6.
    expect(total.ttftMs.p50).toBe(60)
    expect(total.ttftMs.p95).toBeCloseTo(78, 9)
    expect(total.ttftMs.p99).toBeCloseTo(79.6, 9)
    expect(total.ttftMs.mean).toBe(60)
    expect(total.ttftMs.max).toBe(80)
    expect(total.usage).toEqual({
      inputTokens: 1550,
      outputTokens: 75,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    })
    expect(total.costUsd).toBe(2)
    expect(total.unpricedCount).toBe(1)
    expect(unpricedModels).toEqual([{ provider: 'vllm', model: 'my-finetune-7b', count: 1 }])
    expect(total.errorsByType).toEqual({ rate_limit: 1, timeout: 1 })
  })

  test('scores: on spans, on traces (their root span), and one sent before its span', async () => {
    const h = await fixture()
    const { total } = await summaryOf(h, RANGE)

    // helpfulness: 0.25 (early, on span 3) + 0.5 (span 2) + 1 (trace 1, so root span 1).
    // thumbs: up on span 4, down on trace 4 (root span 5), up on span 1.
    expect(total.scores).toEqual({
      helpfulness: { count: 3, mean: 1.75 / 3, labels: {} },
      thumbs: { count: 3, mean: null, labels: { up: 2, down: 1 } },
    })
  })

  test('a trace score counts for a root whose parent was never reported', async () => {
    const h = harness()
    const root = wireSpan({ ...FIRST, parent: 0xfeed })
    await h.post('/api/v1/ingest', {
      spans: [root],
      scores: [score({ traceId: traceId(1), name: 'helpfulness', value: 0.75, time: T + 10 })],
    })

    const { total } = await summaryOf(h, RANGE)

    expect(total.scores).toEqual({ helpfulness: { count: 1, mean: 0.75, labels: {} } })
  })

  test('groupBy=model: a group per model, the largest first, each with its figures', async () => {
    const h = await fixture()
    const { groups } = await summaryOf(h, `${RANGE}&groupBy=model`)

    expect(groups.map((g) => [g.key, g.count])).toEqual([
      [{ model: 'gpt-4o' }, 3],
      [{ model: 'claude-sonnet-4' }, 2],
      [{ model: 'my-finetune-7b' }, 1],
    ])
    const [gpt4o, sonnet, finetune] = groups as [Group, Group, Group]

    // gpt-4o: calls 1, 2, 4. Latencies 200 400 1000: p95 rank 1.9 → 940, p99 1.98 → 988.
    expect(gpt4o.errorCount).toBe(0)
    expect(gpt4o.latencyMs.p50).toBe(400)
    expect(gpt4o.latencyMs.p95).toBeCloseTo(940, 9)
    expect(gpt4o.latencyMs.p99).toBeCloseTo(988, 9)
    expect(gpt4o.latencyMs.mean).toBeCloseTo(1600 / 3, 9)
    expect(gpt4o.latencyMs.max).toBe(1000)
    expect(gpt4o.usage.inputTokens).toBe(700)
    expect(gpt4o.usage.outputTokens).toBe(70)
    expect(gpt4o.costUsd).toBe(1.75)
    expect(gpt4o.scores).toEqual({
      helpfulness: { count: 2, mean: 0.75, labels: {} },
      thumbs: { count: 2, mean: null, labels: { up: 2 } },
    })

    // claude-sonnet-4: calls 3 and 5, both failed, no TTFT. Latencies 100 300.
    expect(sonnet.errorCount).toBe(2)
    expect(sonnet.errorRate).toBe(1)
    expect(sonnet.errorsByType).toEqual({ rate_limit: 1, timeout: 1 })
    expect(sonnet.latencyMs.p50).toBe(200)
    expect(sonnet.latencyMs.p95).toBeCloseTo(290, 9)
    expect(sonnet.latencyMs.p99).toBeCloseTo(298, 9)
    expect(sonnet.ttftMs).toEqual({ p50: null, p95: null, p99: null, mean: null, max: null })
    expect(sonnet.costUsd).toBe(0.25)
    expect(sonnet.scores).toEqual({
      helpfulness: { count: 1, mean: 0.25, labels: {} },
      thumbs: { count: 1, mean: null, labels: { down: 1 } },
    })

    expect(finetune.costUsd).toBe(0)
    expect(finetune.unpricedCount).toBe(1)
    expect(finetune.errorsByType).toEqual({})
    expect(finetune.scores).toEqual({})
  })

  test('groupBy=model,endpoint: one group per pair that has spans', async () => {
    const h = await fixture()
    const { groups, total } = await summaryOf(h, `${RANGE}&groupBy=model,endpoint`)

    expect(groups[0]).toMatchObject({
      key: { model: 'gpt-4o', endpoint: '/chat' },
      count: 2,
      costUsd: 0.75,
    })
    const rest = groups
      .slice(1)
      .map((g) => [`${g.key.model} ${g.key.endpoint}`, g.count, g.costUsd])
    expect(rest.sort()).toEqual([
      ['claude-sonnet-4 /chat', 1, 0.125],
      ['claude-sonnet-4 /search', 1, 0.125],
      ['gpt-4o /search', 1, 1],
      ['my-finetune-7b /chat', 1, 0],
    ])
    expect(total.count).toBe(6)
  })

  test.each([
    ['model=gpt-4o', 3],
    ['model=gpt-4o&model=claude-sonnet-4', 5],
    ['model=gpt-4o,claude-sonnet-4', 5],
    ['model=gpt-5', 0],
    ['endpoint=/search', 2],
    ['environment=staging', 1],
    ['release=r1', 4],
    ['release=r2&model=gpt-4o', 1],
    ['tag=beta', 2],
    ['tag=beta&tag=canary', 1],
    ['tag=beta,canary', 1],
    ['status=error', 2],
    ['status=ok', 4],
    ['status=ok,error', 6],
    ['model=gpt-4o&environment=production&status=ok', 2],
  ])('filter %s counts %d spans', async (query, count) => {
    const h = await fixture()
    expect((await summaryOf(h, `${RANGE}&${query}`)).total.count).toBe(count)
  })

  test('the range includes from and excludes to, in epoch ms or RFC 3339', async () => {
    const h = await fixture()

    // Calls 2 (at 500), 3 and 4; call 5 starts exactly at `to`.
    const byMs = await summaryOf(h, `from=${T + 500}&to=${T + 4000}`)
    const from = encodeURIComponent('2026-01-15T12:00:00.500Z')
    const to = encodeURIComponent('2026-01-15T13:00:04+01:00')
    const byText = await summaryOf(h, `from=${from}&to=${to}`)

    expect(byMs.total.count).toBe(3)
    expect(byMs.total.costUsd).toBe(0.25 + 0.125 + 1)
    expect(byText).toEqual(byMs)
    expect([byText.from, byText.to]).toEqual([T + 500, T + 4000])
  })

  test('without from and to, covers the 24 hours before now', async () => {
    const h = harness()
    const nowMs = Date.now()
    const at = (agoMs: number, id: number) => ({
      ...wireSpan(FIRST),
      spanId: spanId(id),
      startTime: nowMs - agoMs,
      endTime: nowMs - agoMs + 10,
    })
    await h.post('/api/v1/ingest', { spans: [at(3_600_000, 1), at(25 * 3_600_000, 2)] })

    const summary = await summaryOf(h, '')

    expect(summary.total.count).toBe(1)
    expect(summary.to - summary.from).toBe(86_400_000)
    expect(summary.to).toBeGreaterThanOrEqual(nowMs)
    expect(summary.to).toBeLessThan(nowMs + 60_000)
  })
})

describe('GET /api/v1/metrics/timeseries', () => {
  const seriesOf = (h: Harness, query: string) =>
    get<Timeseries>(h, `/api/v1/metrics/timeseries?${query}`)

  test('stepMs buckets from `from`; a bucket without spans is absent', async () => {
    const h = await fixture()
    const { stepMs, series } = await seriesOf(h, `${RANGE}&stepMs=1000`)

    expect(stepMs).toBe(1000)
    expect(series.length).toBe(1)
    expect(series[0]?.key).toEqual({})
    // Calls 1 and 2 share bucket 0; bucket 1 (1000–2000) is empty; 6000–10000 too.
    const points = series[0]?.points ?? []
    expect(points.map((p) => [p.time - T, p.count])).toEqual([
      [0, 2],
      [2000, 1],
      [3000, 1],
      [4000, 1],
      [5000, 1],
    ])
    const first = points[0]
    // Bucket 0 holds latencies 1000 and 200, TTFTs 40 and 60, costs 0.5 and 0.25.
    expect(first?.latencyMs.p50).toBe(600)
    expect(first?.latencyMs.p95).toBeCloseTo(960, 9)
    expect(first?.latencyMs.max).toBe(1000)
    expect(first?.ttftMs.p50).toBe(50)
    expect(first?.usage.inputTokens).toBe(300)
    expect(first?.costUsd).toBe(0.75)
    expect(points[1]).toMatchObject({ errorCount: 1, errorRate: 1, costUsd: 0.125 })
  })

  test('groupBy gives one series per group, each with only its own buckets', async () => {
    const h = await fixture()
    const { series } = await seriesOf(h, `${RANGE}&stepMs=1000&groupBy=model`)

    const times = Object.fromEntries(
      series.map((s) => [s.key.model, s.points.map((p) => p.time - T)]),
    )
    expect(times).toEqual({
      'gpt-4o': [0, 3000],
      'claude-sonnet-4': [2000, 4000],
      'my-finetune-7b': [5000],
    })
  })

  test('without stepMs, about 120 buckets of a width a person would pick', async () => {
    const h = await fixture()

    const hour = await seriesOf(h, `from=${T}&to=${T + 3_600_000}`)
    const day = await seriesOf(h, `from=${T}&to=${T + 86_400_000}`)

    expect(hour.stepMs).toBe(30_000)
    expect(hour.series[0]?.points.map((p) => [p.time, p.count])).toEqual([[T, 6]])
    expect(day.stepMs).toBe(900_000)
  })

  test('autoStepMs rounds range / 120 up to the next nice step, then to whole days', () => {
    expect(autoStepMs(120)).toBe(1000)
    expect(autoStepMs(3_600_000)).toBe(30_000)
    expect(autoStepMs(86_400_000)).toBe(900_000)
    expect(autoStepMs(31 * 86_400_000)).toBe(43_200_000)
    expect(autoStepMs(120 * 86_400_000)).toBe(86_400_000)
    expect(autoStepMs(200 * 86_400_000)).toBe(2 * 86_400_000)
  })

  test('answers 400 when the step makes more than 10,000 buckets', async () => {
    const h = await fixture()

    const atLimit = await h.json(`/api/v1/metrics/timeseries?from=${T}&to=${T + 10_000}&stepMs=1`)
    const over = await h.json(`/api/v1/metrics/timeseries?from=${T}&to=${T + 10_001}&stepMs=1`)

    expect(atLimit.status).toBe(200)
    expect(over).toEqual({
      status: 400,
      body: {
        error:
          'query parameter stepMs (1) makes 10001 buckets; at most 10000 allowed, ' +
          'so use a step of at least 2',
      },
    })
  })
})

describe('GET /api/v1/spans', () => {
  test('newest first by default, without prompts and completions', async () => {
    const h = await fixture()
    const page = await spansOf(h, RANGE)

    expect(ids(page.items)).toEqual([6, 5, 4, 3, 2, 1])
    expect(page.nextCursor).toBeNull()
    expect(page.items.every((span) => span.input === null && span.output === null)).toBe(true)
  })

  test.each([
    ['startTime', 'asc', [1, 2, 3, 4, 5, 6]],
    ['durationMs', 'desc', [1, 6, 4, 3, 2, 5]],
    ['durationMs', 'asc', [5, 2, 3, 4, 6, 1]],
    // Calls 3 and 5 tie at 0.125: the later stored comes first when descending. Unpriced last.
    ['costUsd', 'desc', [4, 1, 2, 5, 3, 6]],
    ['costUsd', 'asc', [6, 3, 5, 2, 1, 4]],
  ])('sort=%s&order=%s', async (sort, order, expected) => {
    const h = await fixture()
    expect(ids((await spansOf(h, `${RANGE}&sort=${sort}&order=${order}`)).items)).toEqual(expected)
  })

  test('search matches a substring of the name, model or endpoint', async () => {
    const h = await fixture()

    expect(ids((await spansOf(h, `${RANGE}&search=claude`)).items)).toEqual([5, 3])
    expect(ids((await spansOf(h, `${RANGE}&search=${encodeURIComponent('/sea')}`)).items)).toEqual([
      4, 3,
    ])
    expect(ids((await spansOf(h, `${RANGE}&search=nothing-like-this`)).items)).toEqual([])
  })

  test('content=true adds the prompt and the completion', async () => {
    const h = await fixture()
    const page = await spansOf(h, `${RANGE}&content=true&sort=startTime&order=asc&limit=1`)

    expect(page.items[0]?.input).toEqual([{ role: 'user', content: 'question 1' }])
    expect(page.items[0]?.output).toEqual({ role: 'assistant', content: 'answer 1' })
  })

  describe('limit and cursor visit every span exactly once, ties included', () => {
    // 25 spans on 4 start times, 3 durations and 5 costs (one of them unknown), so every sort
    // field has long runs of equal values that a page boundary falls inside.
    const manyTies = Array.from({ length: 25 }, (_, i) => ({
      ...wireSpan(FIRST),
      traceId: traceId(100 + i),
      spanId: spanId(100 + i),
      startTime: T + (i % 4) * 1000,
      endTime: T + (i % 4) * 1000 + 100 * (1 + (i % 3)),
      costUsd: [0.5, 0.25, 1, null, 0.125][i % 5],
    }))

    for (const sort of ['startTime', 'durationMs', 'costUsd']) {
      for (const order of ['desc', 'asc']) {
        test(`sort=${sort}&order=${order}&limit=4`, async () => {
          const h = harness()
          await h.post('/api/v1/ingest', { spans: manyTies })
          const value = (span: SpansPage['items'][number]) =>
            sort === 'startTime'
              ? span.startTime
              : sort === 'durationMs'
                ? span.durationMs
                : (span.costUsd ?? -1)

          const seen: number[] = []
          const sizes: number[] = []
          let values: number[] = []
          let cursor: string | null = null
          do {
            const after: string = cursor === null ? '' : `&cursor=${cursor}`
            const page: SpansPage = await spansOf(
              h,
              `${RANGE}&sort=${sort}&order=${order}&limit=4${after}`,
            )
            seen.push(...ids(page.items))
            sizes.push(page.items.length)
            values = [...values, ...page.items.map(value)]
            cursor = page.nextCursor
          } while (cursor !== null)

          expect(sizes).toEqual([4, 4, 4, 4, 4, 4, 1])
          expect(new Set(seen).size).toBe(25)
          expect([...seen].sort((a, b) => a - b)).toEqual(
            Array.from({ length: 25 }, (_, i) => 100 + i),
          )
          const sorted = [...values].sort((a, b) => (order === 'asc' ? a - b : b - a))
          expect(values).toEqual(sorted)
        })
      }
    }
  })
})

describe('GET /api/v1/traces/:traceId', () => {
  test('every span and score of the trace, with its roots', async () => {
    const h = await fixture()
    const trace = await get<Trace>(h, `/api/v1/traces/${traceId(1)}`)

    expect(trace.traceId).toBe(traceId(1))
    expect(trace.spans.map((s) => s.spanId)).toEqual([spanId(1), spanId(2)])
    expect(trace.roots).toEqual([spanId(1)])
    expect(trace.spans[0]?.input).toEqual([{ role: 'user', content: 'question 1' }])
    expect(trace.scores.map((s) => [s.name, s.spanId, s.value ?? s.label])).toEqual([
      ['helpfulness', spanId(2), 0.5],
      ['helpfulness', null, 1],
      ['thumbs', spanId(1), 'up'],
    ])
  })

  test('parents come before children, whatever the start times and the order sent', async () => {
    const h = harness()
    const id = traceId(0xabc)
    const base = { traceId: id, startTime: T, endTime: T + 50 }
    // Children end first, so SDKs send them first. The child shares its parent's start
    // millisecond; the tool runs on a host whose clock is 1 ms early.
    const tool = {
      ...base,
      spanId: spanId(3),
      parentSpanId: spanId(2),
      name: 'tool',
      kind: 'tool',
      startTime: T - 1,
    }
    const llm = {
      ...base,
      spanId: spanId(2),
      parentSpanId: spanId(1),
      name: 'llm',
      model: 'gpt-4o',
    }
    const agent = { ...base, spanId: spanId(1), name: 'agent', kind: 'agent', endTime: T + 90 }
    const sibling = {
      ...base,
      spanId: spanId(4),
      parentSpanId: spanId(1),
      name: 'second llm',
      startTime: T + 60,
      endTime: T + 80,
    }
    await h.post('/api/v1/ingest', { spans: [sibling, tool, llm] })
    await h.post('/api/v1/ingest', { spans: [agent] })

    const trace = await get<Trace>(h, `/api/v1/traces/${id.toUpperCase()}`)

    expect(trace.spans.map((s) => s.name)).toEqual(['agent', 'llm', 'tool', 'second llm'])
    expect(trace.roots).toEqual([spanId(1)])
  })

  test('a trace that so far has only a score is found', async () => {
    const h = harness()
    await h.post('/api/v1/ingest', {
      scores: [score({ traceId: traceId(9), name: 'thumbs', label: 'up', time: T })],
    })

    const trace = await get<Trace>(h, `/api/v1/traces/${traceId(9)}`)

    expect(trace.spans).toEqual([])
    expect(trace.roots).toEqual([])
    expect(trace.scores.map((s) => s.label)).toEqual(['up'])
  })

  test('404 for a trace never stored, 400 for an id that is not 32 hex characters', async () => {
    const h = await fixture()

    expect(await h.json(`/api/v1/traces/${traceId(77)}`)).toEqual({
      status: 404,
      body: { error: `no trace ${traceId(77)} is stored` },
    })
    expect(await h.json('/api/v1/traces/not-a-trace')).toEqual({
      status: 400,
      body: { error: 'trace id must be 32 hex characters (actual: "not-a-trace")' },
    })
  })
})

describe('GET /api/v1/errors', () => {
  // gpt-4o: 5 calls, 3 rate limited and 1 timed out. claude-sonnet-4: 2 calls, both rate limited.
  const outcomes: [Call['model'], string | null][] = [
    ['gpt-4o', 'rate_limit'],
    ['gpt-4o', 'rate_limit'],
    ['gpt-4o', null],
    ['claude-sonnet-4', 'rate_limit'],
    ['gpt-4o', 'timeout'],
    ['gpt-4o', 'rate_limit'],
    ['claude-sonnet-4', 'rate_limit'],
  ]
  const spans = outcomes.map(([model, type], i) =>
    wireSpan({
      ...(model === 'gpt-4o' ? gpt : claude),
      id: i + 1,
      trace: i + 1,
      atMs: i * 100,
      durationMs: 50,
      endpoint: '/chat',
      ...prod,
      release: 'r1',
      inputTokens: 10,
      costUsd: 0.5,
      ...(type === null ? {} : { error: { type, message: `${type} happened` } }),
    }),
  )

  test('counts by category, by model with its rate, and the newest failures', async () => {
    const h = harness()
    await h.post('/api/v1/ingest', { spans })

    const report = await get<ErrorsReport>(h, `/api/v1/errors?${RANGE}`)

    expect([report.from, report.to, report.total, report.errorCount]).toEqual([T, T + 10_000, 7, 6])
    expect(report.byType).toEqual([
      { type: 'rate_limit', count: 5 },
      { type: 'timeout', count: 1 },
    ])
    expect(report.byModel).toEqual([
      { model: 'gpt-4o', type: 'rate_limit', count: 3, rate: 0.6 },
      { model: 'claude-sonnet-4', type: 'rate_limit', count: 2, rate: 1 },
      { model: 'gpt-4o', type: 'timeout', count: 1, rate: 0.2 },
    ])
    expect(ids(report.recent)).toEqual([7, 6, 5, 4, 2, 1])
    expect(report.recent[0]?.error).toEqual({
      type: 'rate_limit',
      message: 'rate_limit happened',
      httpStatus: null,
      rawType: null,
    })
  })

  test('limit caps the recent failures; filters narrow every count', async () => {
    const h = harness()
    await h.post('/api/v1/ingest', { spans })

    const two = await get<ErrorsReport>(h, `/api/v1/errors?${RANGE}&limit=2`)
    const none = await get<ErrorsReport>(h, `/api/v1/errors?${RANGE}&limit=0`)
    const sonnet = await get<ErrorsReport>(h, `/api/v1/errors?${RANGE}&model=claude-sonnet-4`)

    expect(ids(two.recent)).toEqual([7, 6])
    expect(two.errorCount).toBe(6)
    expect(none.recent).toEqual([])
    expect([sonnet.total, sonnet.errorCount, sonnet.byType]).toEqual([
      2,
      2,
      [{ type: 'rate_limit', count: 2 }],
    ])
  })
})

describe('GET /api/v1/scores', () => {
  const scoresOf = (h: Harness, query: string) =>
    get<ScoresPage>(h, `/api/v1/scores?from=${T}&to=${T + 10_000}${query}`)
  const names = (page: ScoresPage) => page.items.map((s) => `${s.name}@${s.time - T}`)

  test('newest first, filtered by name, source and trace', async () => {
    const h = await fixture()

    expect(names(await scoresOf(h, ''))).toEqual([
      'thumbs@6400',
      'thumbs@6300',
      'thumbs@6200',
      'helpfulness@6100',
      'helpfulness@6000',
      'helpfulness@2500',
    ])
    expect(names(await scoresOf(h, '&name=helpfulness&source=user'))).toEqual([
      'helpfulness@6100',
      'helpfulness@6000',
    ])
    expect(names(await scoresOf(h, '&source=eval'))).toEqual(['helpfulness@2500'])
    expect(names(await scoresOf(h, `&traceId=${traceId(1)}`))).toEqual([
      'thumbs@6400',
      'helpfulness@6100',
      'helpfulness@6000',
    ])
    expect(names(await scoresOf(h, '&name=thumbs,nothing'))).toEqual([
      'thumbs@6400',
      'thumbs@6300',
      'thumbs@6200',
    ])
  })

  test('the time range applies to when the score was given', async () => {
    const h = await fixture()
    const page = await get<ScoresPage>(h, `/api/v1/scores?from=${T + 6100}&to=${T + 6300}`)
    expect(names(page)).toEqual(['thumbs@6200', 'helpfulness@6100'])
  })

  test('pages of two visit every score once, also when scores share a time', async () => {
    const h = harness()
    const sameTime = Array.from({ length: 5 }, (_, i) =>
      score({ id: `s-${i}`, traceId: traceId(1), name: 'eval', value: i, time: T + 1 }),
    )
    await h.post('/api/v1/ingest', {
      scores: [...sameTime, score({ traceId: traceId(1), name: 'eval', value: 9, time: T + 2 })],
    })

    const seen: StoredScore[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: ScoresPage = await scoresOf(
        h,
        `&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
      )
      seen.push(...page.items)
      cursor = page.nextCursor
      pages++
    } while (cursor !== null)

    expect(pages).toBe(3)
    expect(seen.map((s) => s.value)).toEqual([9, 4, 3, 2, 1, 0])
  })
})

describe('query checks', () => {
  // The filters are the group dimensions plus a few; export names its dataset `kind`, so it
  // offers no span-kind filter.
  const GROUPS = 'model, modelFamily, provider, endpoint, environment, release, userId, sessionId'
  const FILTERS = `from, to, ${GROUPS}, kind, status, errorType, tag`
  const EXPORT_FILTERS = `from, to, ${GROUPS}, status, errorType, tag`

  test.each([
    ['/api/v1/metrics/summary', `${FILTERS}, groupBy`],
    ['/api/v1/metrics/timeseries', `${FILTERS}, groupBy, stepMs`],
    ['/api/v1/spans', `${FILTERS}, limit, cursor, sort, order, search, content`],
    ['/api/v1/errors', `${FILTERS}, limit`],
    ['/api/v1/scores', 'from, to, name, source, traceId, limit, cursor'],
    ['/api/v1/export', `${EXPORT_FILTERS}, groupBy, format, kind, stepMs, content`],
    [`/api/v1/traces/${traceId(1)}`, 'no query parameters'],
    ['/api/v1/stream', 'no query parameters'],
  ])('%s names an unknown parameter and lists the allowed ones', async (path, allowed) => {
    const h = harness()
    for (const name of ['colour', 'constructor']) {
      expect(await h.json(`${path}?${name}=red`)).toEqual({
        status: 400,
        body: { error: `unknown query parameter ${name}; this endpoint takes ${allowed}` },
      })
    }
  })

  const RANGED = [
    '/api/v1/metrics/summary',
    '/api/v1/metrics/timeseries',
    '/api/v1/spans',
    '/api/v1/errors',
    '/api/v1/scores',
    '/api/v1/export',
  ]

  test.each(RANGED)(
    '%s refuses a time that is neither epoch ms nor RFC 3339, and from >= to',
    async (path) => {
      const h = harness()
      const badTime = (value: string) => ({
        status: 400,
        body: {
          error:
            'query parameter from must be epoch milliseconds or an RFC 3339 time ' +
            `(actual: ${JSON.stringify(value)})`,
        },
      })

      expect(await h.json(`${path}?from=abc`)).toEqual(badTime('abc'))
      expect(await h.json(`${path}?from=-5`)).toEqual(badTime('-5'))
      expect(await h.json(`${path}?from=2026-01-15T25:00:00Z`)).toEqual(
        badTime('2026-01-15T25:00:00Z'),
      )
      expect(await h.json(`${path}?from=2000&to=1000`)).toEqual({
        status: 400,
        body: { error: 'query parameter from (2000) must be before to (1000)' },
      })
      expect(await h.json(`${path}?from=1000&to=1000`)).toEqual({
        status: 400,
        body: { error: 'query parameter from (1000) must be before to (1000)' },
      })
    },
  )

  const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const CURSOR_ERROR = 'cursor is not one this server issued; pass nextCursor unchanged'

  test.each([
    [
      '/api/v1/spans?limit=0',
      'query parameter limit must be an integer from 1 to 1000 (actual: "0")',
    ],
    [
      '/api/v1/spans?limit=1001',
      'query parameter limit must be an integer from 1 to 1000 (actual: "1001")',
    ],
    [
      '/api/v1/spans?limit=2.5',
      'query parameter limit must be an integer from 1 to 1000 (actual: "2.5")',
    ],
    [
      '/api/v1/scores?limit=0',
      'query parameter limit must be an integer from 1 to 1000 (actual: "0")',
    ],
    [
      '/api/v1/errors?limit=501',
      'query parameter limit must be an integer from 0 to 500 (actual: "501")',
    ],
    [
      '/api/v1/spans?sort=x',
      'query parameter sort must be one of startTime, durationMs, costUsd (actual: "x")',
    ],
    ['/api/v1/spans?order=up', 'query parameter order must be one of desc, asc (actual: "up")'],
    ['/api/v1/spans?content=yes', 'query parameter content must be true or false (actual: "yes")'],
    ['/api/v1/spans?cursor=abc', CURSOR_ERROR],
    [`/api/v1/spans?cursor=${cursorOf(['x', 1])}`, CURSOR_ERROR],
    [`/api/v1/spans?cursor=${cursorOf([1, 2.5])}`, CURSOR_ERROR],
    [`/api/v1/scores?cursor=${cursorOf({ time: 1 })}`, CURSOR_ERROR],
    ['/api/v1/spans?status=broken', 'query parameter status takes ok, error (actual: "broken")'],
    [
      '/api/v1/metrics/summary?groupBy=colour',
      `query parameter groupBy takes ${GROUPS} (actual: "colour")`,
    ],
    [
      '/api/v1/metrics/summary?groupBy=model,provider,endpoint,release',
      'query parameter groupBy takes at most 3 values (actual: 4)',
    ],
    [
      '/api/v1/metrics/timeseries?stepMs=-1',
      'query parameter stepMs must be an integer from 0 to 2678400000 (actual: "-1")',
    ],
    [
      '/api/v1/export?format=xlsx',
      'query parameter format must be one of ndjson, json, csv (actual: "xlsx")',
    ],
    [
      '/api/v1/export?kind=traces',
      'query parameter kind must be one of spans, scores, metrics (actual: "traces")',
    ],
    [
      `/api/v1/spans?search=${'a'.repeat(257)}`,
      `query parameter search must be at most 256 characters (actual: "${'a'.repeat(257)}")`,
    ],
  ])('%s → 400', async (path, error) => {
    expect(await harness().json(path)).toEqual({ status: 400, body: { error } })
  })
})

describe('API keys', () => {
  const KEY = 'k-0123456789abcdef'
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` })

  // Every documented route, the stored trace standing in for :traceId and the rule the POST
  // makes for :id; compare needs its two arms, and the rule POST a rule.
  const RULE = {
    id: 'example',
    name: 'slow',
    metric: 'latencyMs.p95',
    condition: { type: 'threshold', op: '>', value: 1 },
  }
  const QUERIES: Record<string, string> = { '/api/v1/compare': '?a=gpt-4o&b=claude-sonnet-4' }
  const ROUTES = ROUTE_DOCS.map((route) => ({
    method: route.method.toUpperCase(),
    path:
      route.path.replace('{traceId}', traceId(1)).replace('{id}', RULE.id) +
      (QUERIES[route.path] ?? ''),
    body: route.path === '/api/v1/alerts/rules' ? RULE : { spans: [wireSpan(FIRST)] },
  }))

  async function call(h: Harness, route: (typeof ROUTES)[number], headers: Record<string, string>) {
    const post = route.method === 'POST'
    const response = await h.request(route.path, {
      method: route.method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(post ? { body: JSON.stringify(route.body) } : {}),
    })
    const json = response.headers.get('content-type')?.startsWith('application/json') ?? false
    const body: unknown = json ? await response.json() : null
    if (!json) await response.body?.cancel()
    return {
      status: response.status,
      body,
      wwwAuthenticate: response.headers.get('www-authenticate'),
    }
  }

  test('the documented routes include ingest, every read, export and stream', () => {
    expect(ROUTES.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'POST /api/v1/ingest',
        'GET /api/v1/metrics/summary',
        'GET /api/v1/metrics/timeseries',
        'GET /api/v1/spans',
        `GET /api/v1/traces/${traceId(1)}`,
        'GET /api/v1/errors',
        'GET /api/v1/scores',
        'GET /api/v1/export',
        'GET /api/v1/stream',
      ]),
    )
  })

  test('every /api/v1 route answers 401 without a key or with a wrong one', async () => {
    const h = harness({ apiKeys: [KEY] })
    // OTLP routes answer in the OTLP Status shape, 16 being UNAUTHENTICATED.
    const errorBody = (path: string, message: string) =>
      path.startsWith('/v1/') ? { code: 16, message } : { error: message }
    for (const route of ROUTES) {
      expect([route.path, await call(h, route, {})]).toEqual([
        route.path,
        {
          status: 401,
          body: errorBody(route.path, 'missing API key: send Authorization: Bearer <key>'),
          wwwAuthenticate: 'Bearer',
        },
      ])
      expect([route.path, await call(h, route, bearer('k-0123456789abcdeX'))]).toEqual([
        route.path,
        {
          status: 401,
          body: errorBody(route.path, 'invalid API key'),
          wwwAuthenticate: 'Bearer',
        },
      ])
    }
    expect(h.store.trace(traceId(1))).toBeNull()
  })

  test('every /api/v1 route works with the key', async () => {
    const h = harness({ apiKeys: [KEY] })
    for (const route of ROUTES) {
      expect([route.path, (await call(h, route, bearer(KEY))).status]).toEqual([route.path, 200])
    }
    expect(h.store.trace(traceId(1))?.spans.length).toBe(1)
  })

  test('/healthz and the OpenAPI document stay open', async () => {
    const h = harness({ apiKeys: [KEY] })

    const health = await h.request('/healthz')
    const openApi = await h.json('/api/v1/openapi.json')

    expect([health.status, await health.text()]).toEqual([200, 'ok'])
    expect(openApi.status).toBe(200)
  })
})
