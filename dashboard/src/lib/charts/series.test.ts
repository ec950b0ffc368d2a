import { describe, expect, test } from 'bun:test'
import type { Timeseries } from '@llmlens/spec'
import { storedSpan } from '../testing/spans.ts'
import {
  bucketTotals,
  column,
  type Point,
  perMinute,
  ratio,
  topSeries,
  withLiveSpan,
} from './series.ts'

const WINDOW = { fromMs: 0, toMs: 400, stepMs: 100 }

function point(time: number, count: number, costUsd = 0): Point {
  const latency = { p50: count * 10, p95: null, p99: null, mean: null, max: null }
  return {
    time,
    count,
    errorCount: 0,
    errorRate: 0,
    latencyMs: latency,
    ttftMs: latency,
    usage: {
      inputTokens: count,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    costUsd,
  }
}

describe('column', () => {
  test('places sparse points in their buckets and fills the gaps', () => {
    const points = [point(100, 3), point(300, 5)]
    expect(column(points, WINDOW, (p) => p.count, 0)).toEqual([0, 3, 0, 5])
    expect(column(points, WINDOW, (p) => p.latencyMs.p50, null)).toEqual([null, 30, null, 50])
  })

  test('ignores points outside the window', () => {
    expect(column([point(-100, 1), point(900, 1)], WINDOW, (p) => p.count, 0)).toEqual([0, 0, 0, 0])
  })
})

describe('withLiveSpan', () => {
  test('counts a span in its bucket without changing the old arrays', () => {
    const totals = bucketTotals([point(0, 1)], WINDOW)
    const next = withLiveSpan(totals, storedSpan({ startTime: 250, costUsd: 0.5 }), WINDOW)

    expect(next.count).toEqual([1, 0, 1, 0])
    expect(next.costUsd).toEqual([0, 0, 0.5, 0])
    expect(next.inputTokens).toEqual([1, 0, 120, 0])
    expect(totals.count).toEqual([1, 0, 0, 0])
  })

  test('a span after the last bucket grows the window to its bucket', () => {
    const totals = bucketTotals([], WINDOW)
    const next = withLiveSpan(totals, storedSpan({ startTime: 520, status: 'error' }), WINDOW)

    expect(next.times).toEqual([0, 100, 200, 300, 400, 500])
    expect(next.count).toEqual([0, 0, 0, 0, 0, 1])
    expect(next.errorCount).toEqual([0, 0, 0, 0, 0, 1])
  })

  test('a span before the window changes nothing', () => {
    const totals = bucketTotals([], WINDOW)
    expect(withLiveSpan(totals, storedSpan({ startTime: -1 }), WINDOW)).toBe(totals)
  })
})

describe('perMinute and ratio', () => {
  test('throughput per minute whatever the bucket width', () => {
    expect(perMinute([30, 60], { fromMs: 0, stepMs: 30_000 })).toEqual([60, 120])
  })

  test('the bucket still filling counts only the time that has passed', () => {
    expect(perMinute([30, 10], { fromMs: 0, stepMs: 60_000, toMs: 90_000 })).toEqual([30, 20])
  })

  test('a share per bucket, null where nothing happened', () => {
    expect(ratio([1, null, 0], [4, 0, 2])).toEqual([0.25, null, 0])
  })
})

describe('topSeries', () => {
  const timeseries = (keys: (string | null)[]): Timeseries =>
    ({
      from: 0,
      to: 400,
      stepMs: 100,
      percentiles: 'exact',
      series: keys.map((model, i) => ({ key: { model }, points: [point(0, 1, i + 1)] })),
    }) as Timeseries

  test('largest first, the rest summed into "other"', () => {
    const series = topSeries(
      timeseries(['a', 'b', 'c', null]),
      'model',
      WINDOW,
      (p) => p.costUsd,
      2,
    )
    expect(series.map((s) => s.label)).toEqual(['(none)', 'c', 'other'])
    expect(series[2]?.values).toEqual([3, 0, 0, 0])
  })

  test('keeps odd names as labels and never reads inherited keys', () => {
    const odd = timeseries(['__proto__', '<script>x</script>'])
    const series = topSeries(odd, 'model', WINDOW, (p) => p.count, 5)
    expect(series.map((s) => s.label).sort()).toEqual(['<script>x</script>', '__proto__'])
    expect(topSeries(odd, 'constructor', WINDOW, (p) => p.count, 5)[0]?.label).toBe('(none)')
  })
})
