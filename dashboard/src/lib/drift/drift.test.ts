import { describe, expect, test } from 'bun:test'
import type { FeatureDriftReply } from '@llmlens/spec'
import { storedSpan } from '../testing/spans.ts'
import { featureFormat, featureLabel, scoreName, spanValue, windowSummary } from './features.ts'
import { categoryBins, decileBins, quantileSorted } from './histogram.ts'
import { overlaps, readReference, referenceWindow, writeReference } from './reference.ts'
import { PER_STRATUM, STRATA, sampleQueries } from './sample.ts'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const current = { fromMs: 10 * DAY_MS, toMs: 10 * DAY_MS + 6 * HOUR_MS, stepMs: 180_000 }

describe('the reference window', () => {
  test('by default the period just before, as long as the current one', () => {
    const reference = readReference(new URLSearchParams(''))
    expect(reference).toEqual({ choice: 'previous', custom: null })
    expect(referenceWindow(reference, current)).toEqual({
      fromMs: 10 * DAY_MS - 6 * HOUR_MS,
      toMs: 10 * DAY_MS,
    })
  })

  test('the same hours a day or a week earlier', () => {
    expect(referenceWindow({ choice: 'day', custom: null }, current)).toEqual({
      fromMs: 9 * DAY_MS,
      toMs: 9 * DAY_MS + 6 * HOUR_MS,
    })
    expect(referenceWindow({ choice: 'week', custom: null }, current).fromMs).toBe(3 * DAY_MS)
  })

  test('a custom window round-trips through the URL; a broken one falls back', () => {
    const custom = { choice: 'custom' as const, custom: { fromMs: DAY_MS, toMs: 2 * DAY_MS } }
    const written = writeReference(custom, new URLSearchParams('range=24h&ref=week'))
    expect(written.get('range')).toBe('24h')
    expect(readReference(written)).toEqual(custom)
    expect(referenceWindow(custom, current)).toEqual(custom.custom)
    expect(readReference(new URLSearchParams('ref=custom&refFrom=5&refTo=4')).choice).toBe(
      'previous',
    )
    expect(readReference(new URLSearchParams('ref=constructor')).choice).toBe('previous')
    expect(writeReference({ choice: 'previous', custom: null }, written).toString()).toBe(
      'range=24h',
    )
  })

  test('overlap is sharing any time', () => {
    expect(overlaps({ fromMs: 0, toMs: 10 }, { fromMs: 10, toMs: 20 })).toBe(false)
    expect(overlaps({ fromMs: 0, toMs: 11 }, { fromMs: 10, toMs: 20 })).toBe(true)
  })
})

describe('histograms', () => {
  test('quantiles interpolate between ranks', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantileSorted([], 0.5)).toBeNull()
  })

  test("the reference's deciles hold a tenth of it each; a shifted window strays from them", () => {
    const reference = Array.from({ length: 1_000 }, (_, i) => i)
    const shifted = reference.map((v) => v + 300)
    const bins = decileBins(reference, shifted, String)

    expect(bins).toHaveLength(10)
    for (const bin of bins) expect(bin.reference).toBeCloseTo(0.1, 2)
    expect(bins[0]?.current).toBe(0)
    expect(bins.at(-1)?.current).toBeCloseTo(0.4, 2)
    expect(bins[0]?.label).toBe('≤ 99.9')
    expect(bins.at(-1)?.label).toBe('> 899.1')
    expect(bins[1]?.label).toBe('99.9 – 199.8')
  })

  test('ties merge bins; an empty window has none', () => {
    // Seven of the nine deciles are 1: they make one bin, not seven.
    const tied = [1, 1, 1, 1, 1, 1, 1, 1, 2, 3]
    const bins = decileBins(tied, tied, (v) => v.toFixed(1))
    expect(bins.map((b) => b.label)).toEqual(['≤ 1.0', '1.0 – 1.2', '1.2 – 2.1', '> 2.1'])
    expect(bins.map((b) => b.reference)).toEqual([0.8, 0, 0.1, 0.1])
    expect(decileBins([], [1], String)).toEqual([])
  })

  test("categories of either window, the reference's largest first, odd names as text", () => {
    const bins = categoryBins(
      [
        ['stop', 0.6],
        ['length', 0.1],
        ['__proto__', 0.3],
      ],
      [
        ['stop', 0.5],
        ['tool_calls', 0.5],
      ],
    )
    expect(bins).toEqual([
      { label: 'stop', reference: 0.6, current: 0.5 },
      { label: '__proto__', reference: 0.3, current: 0 },
      { label: 'length', reference: 0.1, current: 0 },
      { label: 'tool_calls', reference: 0, current: 0.5 },
    ])
  })
})

describe('features', () => {
  test('labels, including score features with any name', () => {
    expect(featureLabel('outputTokens')).toBe('Output tokens per call')
    expect(featureLabel('scores.helpfulness')).toBe('Score: helpfulness')
    expect(featureLabel('scores.thumbs.label')).toBe('Score labels: thumbs')
    expect(featureLabel('scores.<b>x</b>')).toBe('Score: <b>x</b>')
    expect(featureLabel('somethingNew')).toBe('somethingNew')
  })

  test('values in their units, read from spans as the server reads calls', () => {
    expect(featureFormat('latencyMs')(1_240)).toBe('1.24 s')
    expect(featureFormat('inputTokens')(1_711.7)).toBe('1,712')
    expect(featureFormat('scores.x')(0.666)).toBe('0.67')
    const span = storedSpan({ durationMs: 800, timeToFirstTokenMs: null })
    expect(spanValue('latencyMs', span)).toBe(800)
    expect(spanValue('outputTokens', span)).toBe(80)
    expect(spanValue('ttftMs', span)).toBeNull()
    expect(spanValue('finishReason', span)).toBeUndefined()
  })

  test('a window in brief, and the score name of a score feature', () => {
    const feature = {
      feature: 'latencyMs',
      kind: 'numeric',
      reference: { count: 2_409, p50: 1_951.5, mean: 2_642.9 },
      current: { count: 1_685, p50: null },
    } as unknown as FeatureDriftReply
    expect(windowSummary(feature, 'reference')).toBe('n 2,409 · p50 1.95 s · mean 2.64 s')
    expect(windowSummary(feature, 'current')).toBe('n 1,685')
    expect(scoreName(feature)).toBeNull()
    expect(scoreName({ ...feature, feature: 'scores.helpfulness' })).toBe('helpfulness')
  })
})

describe('samples', () => {
  test('strata cover the window with successful calls, a page each', () => {
    const queries = sampleQueries({ model: ['a'] }, { fromMs: 0, toMs: 1_000 })
    expect(queries).toHaveLength(STRATA)
    expect(queries.map((q) => [q.get('from'), q.get('to')])).toEqual([
      ['0', '200'],
      ['200', '400'],
      ['400', '600'],
      ['600', '800'],
      ['800', '1000'],
    ])
    expect(queries[0]?.getAll('status')).toEqual(['ok'])
    expect(queries[0]?.get('limit')).toBe(String(PER_STRATUM))
    expect(queries[0]?.getAll('model')).toEqual(['a'])
  })
})
