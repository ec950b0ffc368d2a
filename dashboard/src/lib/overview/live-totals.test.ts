import { describe, expect, test } from 'bun:test'
import type { Metrics } from '@llmlens/spec'
import { emptyMetrics, storedSpan } from '../testing/spans.ts'
import { liveTotals, withLiveSpans } from './live-totals.ts'

const WINDOW = { fromMs: 0, toMs: 300, stepMs: 100 }

function metrics(count: number): Metrics {
  return { ...emptyMetrics(), count }
}

describe('withLiveSpans', () => {
  test('counts spans in the window that pass the filters, in totals, buckets and categories', () => {
    const start = liveTotals(WINDOW, metrics(2), [], new Map([['rate_limit', [0, 0, 0]]]))
    const failed = storedSpan({
      startTime: 150,
      status: 'error',
      error: { type: 'rate_limit', message: null, httpStatus: 429, rawType: null },
    })
    const next = withLiveSpans(
      start,
      [
        storedSpan({ startTime: 20 }),
        failed,
        storedSpan({ startTime: -5 }),
        storedSpan({ model: 'x' }),
      ],
      { model: ['gpt-4o-mini'] },
    )

    expect(next.totals.count).toBe(4)
    expect(next.totals.errorCount).toBe(1)
    expect(next.buckets.count).toEqual([1, 1, 0])
    expect(next.categories.get('rate_limit')).toEqual([0, 1, 0])
    expect(start.categories.get('rate_limit')).toEqual([0, 0, 0])
  })

  test('returns the same object when nothing counted', () => {
    const start = liveTotals(WINDOW, metrics(0), [], new Map())
    expect(withLiveSpans(start, [storedSpan({ kind: 'tool' })], { kind: ['llm'] })).toBe(start)
  })
})
