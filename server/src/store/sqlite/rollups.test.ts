import { Database } from 'bun:sqlite'
import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Metrics } from '@llmlens/spec'
import type { NewSpan, SpanFilter, StoredSpan, Summary, SummaryQuery } from '../types.ts'
import { SqliteStore } from './sqlite-store.ts'

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
/** 10:00 UTC: a range from here is aligned to both rollup levels. */
const T0 = Date.UTC(2026, 2, 2, 10)
const MODELS = ['gpt-4o', 'claude-sonnet-4', 'gpt-4o-mini'] as const
const ERRORS = ['rate_limit', 'timeout', 'server_error'] as const
type ErrorType = (typeof ERRORS)[number]

/** A deterministic generator (mulberry32), so every run stores the same spans. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** `count` spans over `spanMs` from `startMs`: three models, lognormal latencies, some errors. */
function traffic(count: number, startMs: number, spanMs: number, seed = 7): NewSpan[] {
  const next = random(seed)
  return Array.from({ length: count }, (_, i) => {
    const model = MODELS[i % MODELS.length] as string
    const failed = next() < 0.05
    const errorType = ERRORS[Math.floor(next() * ERRORS.length)] as ErrorType
    const durationMs = Math.exp(6 + next() * 1.5 + (next() < 0.02 ? 2 : 0))
    const startTime = startMs + next() * spanMs
    const span: StoredSpan = {
      traceId: i.toString(16).padStart(32, '0'),
      spanId: i.toString(16).padStart(16, '0'),
      parentSpanId: null,
      name: `chat ${model}`,
      kind: 'llm',
      startTime,
      endTime: startTime + durationMs,
      durationMs,
      provider: model.startsWith('claude') ? 'anthropic' : 'openai',
      model,
      modelFamily: model,
      requestModel: null,
      endpoint: i % 2 === 0 ? '/chat' : '/summarise',
      status: failed ? 'error' : 'ok',
      error: failed
        ? {
            type: errorType,
            message: 'x',
            httpStatus: null,
            rawType: null,
          }
        : null,
      usage: {
        inputTokens: 100 + (i % 50),
        outputTokens: 20 + (i % 30),
        cacheReadTokens: i % 4 === 0 ? 64 : null,
        cacheWriteTokens: null,
        reasoningTokens: i % 5 === 0 ? 12 : null,
      },
      costUsd: model === 'gpt-4o-mini' && i % 7 === 0 ? null : 0.0001 * (i % 13),
      costEstimated: true,
      timeToFirstTokenMs: i % 3 === 0 ? durationMs / 4 : null,
      finishReason: 'stop',
      userId: `u-${i % 9}`,
      sessionId: null,
      environment: 'production',
      release: i % 4 === 0 ? '2026.3.1' : '2026.3.2',
      tags: [],
      metadata: {},
      input: null,
      output: null,
    }
    return { ...span, inputJson: null, outputJson: null }
  })
}

const directories: string[] = []
afterEach(() => {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmlens-rollups-'))
  directories.push(dir)
  return join(dir, 'llmlens.db')
}

/** One database read two ways: always from rollups where possible, and always exactly. */
function twoReaders(spans: readonly NewSpan[]) {
  const path = dbFile()
  const sketched = new SqliteStore({ path, aggregates: { exactSpansMax: 0 } })
  sketched.write(spans, [])
  const exact = new SqliteStore({ path, aggregates: { exactSpansMax: Number.POSITIVE_INFINITY } })
  return { path, sketched, exact }
}

/** Everything but the percentiles, which a sketch only approximates. */
function countsOf(metrics: Metrics) {
  const { latencyMs, ttftMs, costUsd, ...rest } = metrics
  return { ...rest, costUsd: Math.round(costUsd * 1e9) / 1e9, latencyMax: latencyMs.max }
}

/**
 * A sketch's quantile is within its 1% relative accuracy of a value at the quantile's rank; an
 * exact read interpolates between the two values around that rank. So the sketch's answer must
 * lie between the lower neighbour less 1% and the upper neighbour plus 1%.
 */
function expectNearRank(sketch: number | null, values: readonly number[], q: number) {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = q * (sorted.length - 1)
  const low = (sorted[Math.floor(rank)] as number) * 0.99
  const high = (sorted[Math.ceil(rank)] as number) * 1.01
  expect([q, sketch as number]).toEqual([q, expect.any(Number)])
  expect(sketch as number).toBeGreaterThanOrEqual(low)
  expect(sketch as number).toBeLessThanOrEqual(high)
}

/** The spans a summary query covers, by the values of its groupBy keys. */
function spansOf(spans: readonly NewSpan[], filter: SpanFilter, key: Record<string, unknown>) {
  return spans.filter(
    (s) =>
      s.startTime >= filter.fromMs &&
      s.startTime < filter.toMs &&
      (filter.model ?? [s.model]).includes(s.model as string) &&
      (filter.status ?? [s.status]).includes(s.status) &&
      (filter.errorType === undefined || filter.errorType.includes(s.error?.type ?? '')) &&
      Object.entries(key).every(([dimension, value]) => s[dimension as keyof StoredSpan] === value),
  )
}

/** Same counts and sums as the exact read; percentiles near the right rank of the spans. */
function expectSameMetrics(sketch: Metrics, exact: Metrics, spans: readonly NewSpan[]) {
  expect(countsOf(sketch)).toEqual(countsOf(exact))
  expect(
    Math.abs((sketch.latencyMs.mean as number) - (exact.latencyMs.mean as number)),
  ).toBeLessThan(1e-6)
  const ttfts = spans.flatMap((s) => (s.timeToFirstTokenMs === null ? [] : [s.timeToFirstTokenMs]))
  for (const q of [0.5, 0.95, 0.99]) {
    const name = `p${Math.round(q * 100)}` as 'p50' | 'p95' | 'p99'
    expectNearRank(
      sketch.latencyMs[name],
      spans.map((s) => s.durationMs),
      q,
    )
    if (ttfts.length > 0) expectNearRank(sketch.ttftMs[name], ttfts, q)
  }
}

function expectSameSummary(
  sketch: Summary,
  exact: Summary,
  spans: readonly NewSpan[],
  filter: SpanFilter,
) {
  expect(sketch.percentiles).toBe('sketch')
  expect(exact.percentiles).toBe('exact')
  expectSameMetrics(sketch.total, exact.total, spansOf(spans, filter, {}))
  expect(sketch.groups.map((g) => g.key)).toEqual(exact.groups.map((g) => g.key))
  sketch.groups.forEach((group, i) => {
    expectSameMetrics(group, exact.groups[i] as Metrics, spansOf(spans, filter, group.key))
  })
  expect(sketch.unpricedModels).toEqual(exact.unpricedModels)
}

describe('summaries from rollups', () => {
  // Three hours and a bit, so that a range has whole hours, whole minutes and ragged ends.
  const spans = traffic(12_000, T0 - 7 * MINUTE_MS, 3 * HOUR_MS + 20 * MINUTE_MS)

  test.each([
    ['aligned to hours', T0, T0 + 3 * HOUR_MS],
    ['ragged at both ends', T0 - 5 * MINUTE_MS - 1234.5, T0 + 3 * HOUR_MS + 7 * MINUTE_MS + 17],
    ['inside one hour', T0 + 12 * MINUTE_MS + 1, T0 + 50 * MINUTE_MS - 1],
  ])(
    '%s: the same counts, sums and errors as every span, percentiles within 2%%',
    (_n, from, to) => {
      const { sketched, exact } = twoReaders(spans)
      for (const groupBy of [[], ['model'], ['provider', 'endpoint', 'release']] as const) {
        const query: SummaryQuery = { filter: { fromMs: from, toMs: to }, groupBy: [...groupBy] }
        expectSameSummary(sketched.summary(query), exact.summary(query), spans, query.filter)
      }
    },
  )

  test('filters on rollup dimensions are applied to the rollups', () => {
    const { sketched, exact } = twoReaders(spans)
    const filter: SpanFilter = {
      fromMs: T0 - HOUR_MS,
      toMs: T0 + 4 * HOUR_MS,
      model: ['gpt-4o', 'gpt-4o-mini'],
      status: ['error'],
      errorType: ['rate_limit', 'timeout'],
    }
    const query: SummaryQuery = { filter, groupBy: ['model'] }
    const fromRollups = sketched.summary(query)
    expectSameSummary(fromRollups, exact.summary(query), spans, filter)
    expect(Object.keys(fromRollups.total.errorsByType).sort()).toEqual(['rate_limit', 'timeout'])
  })

  test('a filter or grouping that rollups do not keep reads every span', () => {
    const { sketched } = twoReaders(spans)
    const range = { fromMs: T0, toMs: T0 + HOUR_MS }
    expect(
      sketched.summary({ filter: { ...range, userId: ['u-1'] }, groupBy: [] }).percentiles,
    ).toBe('exact')
    expect(sketched.summary({ filter: range, groupBy: ['userId'] }).percentiles).toBe('exact')
    expect(sketched.summary({ filter: range, groupBy: [] }).percentiles).toBe('sketch')
  })

  test('up to exactSpansMax spans in range, percentiles stay exact', () => {
    const path = dbFile()
    const store = new SqliteStore({ path, aggregates: { exactSpansMax: 5_000 } })
    store.write(traffic(4_000, T0, HOUR_MS), [])
    const query: SummaryQuery = { filter: { fromMs: T0, toMs: T0 + HOUR_MS }, groupBy: [] }
    expect(store.summary(query).percentiles).toBe('exact')
    store.write(
      traffic(2_000, T0, HOUR_MS, 8).map((s, i) => ({ ...s, spanId: `f${i}`.padEnd(16, '0') })),
      [],
    )
    expect(store.summary(query).percentiles).toBe('sketch')
    expect(store.summary(query).total.count).toBe(6_000)
  })

  test('a resent batch changes no rollup', () => {
    const { sketched, exact } = twoReaders(spans)
    sketched.write(spans.slice(0, 3_000), [])
    const query: SummaryQuery = { filter: { fromMs: T0, toMs: T0 + 2 * HOUR_MS }, groupBy: [] }
    expectSameSummary(sketched.summary(query), exact.summary(query), spans, query.filter)
  })
})

describe('time series from rollups', () => {
  const spans = traffic(9_000, T0, 2 * HOUR_MS + 30 * MINUTE_MS)

  test.each([
    ['five-minute buckets', 5 * MINUTE_MS],
    ['hour buckets', HOUR_MS],
  ])('%s match an exact read, bucket for bucket', (_name, stepMs) => {
    const { sketched, exact } = twoReaders(spans)
    const query = {
      filter: { fromMs: T0, toMs: T0 + 2 * HOUR_MS + 30 * MINUTE_MS - 1 },
      groupBy: ['model' as const],
      stepMs,
    }
    const a = sketched.timeseries(query)
    const b = exact.timeseries(query)
    expect([a.percentiles, b.percentiles]).toEqual(['sketch', 'exact'])
    expect(a.series.map((s) => s.key)).toEqual(b.series.map((s) => s.key))
    a.series.forEach((series, i) => {
      const other = b.series[i]?.points ?? []
      expect(series.points.map((p) => [p.time, p.count, p.errorCount, p.usage])).toEqual(
        other.map((p) => [p.time, p.count, p.errorCount, p.usage]),
      )
      series.points.forEach((point) => {
        const inBucket = spansOf(
          spans,
          { fromMs: point.time, toMs: point.time + stepMs },
          series.key,
        )
        expectNearRank(
          point.latencyMs.p95,
          inBucket.map((s) => s.durationMs),
          0.95,
        )
      })
    })
  })

  test('a range that does not start on a minute is read exactly', () => {
    const { sketched } = twoReaders(spans)
    const query = { filter: { fromMs: T0 + 1, toMs: T0 + HOUR_MS }, groupBy: [], stepMs: MINUTE_MS }
    expect(sketched.timeseries(query).percentiles).toBe('exact')
  })
})

test('opening a database from before rollups fills them from its spans', () => {
  const spans = traffic(3_000, T0, 2 * HOUR_MS)
  const { path, exact } = twoReaders(spans)
  exact.close()
  const db = new Database(path)
  db.exec('DROP TABLE rollups_minute; DROP TABLE rollups_hour; DROP TABLE rollup_state')
  db.exec('PRAGMA user_version = 2')
  db.close()

  const reopened = new SqliteStore({ path, aggregates: { exactSpansMax: 0 } })
  const reference = new SqliteStore({
    path,
    aggregates: { exactSpansMax: Number.POSITIVE_INFINITY },
  })
  const query: SummaryQuery = { filter: { fromMs: T0, toMs: T0 + 2 * HOUR_MS }, groupBy: ['model'] }
  expect(reopened.schema.from).toBe(2)
  expectSameSummary(reopened.summary(query), reference.summary(query), spans, query.filter)
})

test('spans committed but not yet folded in when the process died are folded in on open', () => {
  const spans = traffic(3_000, T0, HOUR_MS)
  const path = dbFile()
  const crashed = new SqliteStore({ path, aggregates: { exactSpansMax: 0 } })
  crashed.write(spans, [])
  // No close(): the queue dies with the process. Only the spans' transaction is on disk.
  const db = new Database(path, { readonly: true })
  expect(db.query('SELECT COUNT(*) AS n FROM rollups_minute').get()).toEqual({ n: 0 })
  db.close()

  const reopened = new SqliteStore({ path, aggregates: { exactSpansMax: 0 } })
  const reference = new SqliteStore({
    path,
    aggregates: { exactSpansMax: Number.POSITIVE_INFINITY },
  })
  const query: SummaryQuery = { filter: { fromMs: T0, toMs: T0 + HOUR_MS }, groupBy: [] }
  expectSameSummary(reopened.summary(query), reference.summary(query), spans, query.filter)
  // The first store's queue folds nothing twice when it flushes after all.
  crashed.close()
  expectSameSummary(reopened.summary(query), reference.summary(query), spans, query.filter)
})
