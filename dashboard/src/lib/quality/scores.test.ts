import { describe, expect, test } from 'bun:test'
import type { Summary } from '@llmlens/spec'
import { histogram, mainLabel, scoreNames, scoreOf, slices, trendValue } from './scores.ts'

const stats = (mean: number | null, labels: Record<string, number>, count = 1) => ({
  count,
  mean,
  labels,
})

describe('scores of a summary', () => {
  test('names by use, and no inherited names', () => {
    const summary = {
      total: { scores: { thumbs: stats(null, { up: 3 }, 3), helpfulness: stats(0.7, {}, 9) } },
    } as unknown as Summary
    expect(scoreNames(summary)).toEqual(['helpfulness', 'thumbs'])
    expect(scoreOf(summary.total.scores, 'toString')).toBeNull()
  })

  test('a numeric score trends by its mean, a label score by the share of its main label', () => {
    const thumbs = stats(null, { down: 1, up: 3 })
    expect(mainLabel(thumbs)).toBe('up')
    expect(trendValue(thumbs, 'up')).toBe(0.75)
    expect(trendValue(stats(0.4, {}), null)).toBe(0.4)
    expect(trendValue(null, 'up')).toBeNull()
    expect(trendValue(stats(null, {}), 'up')).toBeNull()
  })
})

describe('histogram', () => {
  test('scores between 0 and 1 use ten bins of 0.1, the top value in the last', () => {
    const { edges, counts } = histogram([0, 0.05, 0.55, 1, 1])
    expect(edges[5]).toBeCloseTo(0.5)
    expect(counts).toEqual([2, 0, 0, 0, 0, 1, 0, 0, 0, 2])
  })

  test('other ranges span their own lowest to highest value', () => {
    const { edges, counts } = histogram([1, 3, 5], 2)
    expect(edges).toEqual([1, 3])
    expect(counts).toEqual([1, 2])
  })

  test('no values, no counts', () => {
    expect(histogram([]).counts.every((n) => n === 0)).toBe(true)
  })
})

describe('slices', () => {
  test('equal consecutive windows', () => {
    expect(slices(0, 100, 4)).toEqual([
      { fromMs: 0, toMs: 25 },
      { fromMs: 25, toMs: 50 },
      { fromMs: 50, toMs: 75 },
      { fromMs: 75, toMs: 100 },
    ])
  })
})
