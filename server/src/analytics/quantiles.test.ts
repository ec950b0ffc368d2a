import { describe, expect, test } from 'bun:test'
import { distribution, NumberColumn, quantileSorted } from './quantiles.ts'

describe('quantileSorted', () => {
  test('interpolates between closest ranks', () => {
    const sorted = Float64Array.from([10, 20, 30, 40])
    expect(quantileSorted(sorted, 0.5)).toBe(25)
    expect(quantileSorted(sorted, 0)).toBe(10)
    expect(quantileSorted(sorted, 1)).toBe(40)
    expect(quantileSorted(sorted, 0.95)).toBeCloseTo(38.5, 10)
  })

  test('is null for no data', () => {
    expect(quantileSorted(new Float64Array(0), 0.5)).toBeNull()
  })
})

describe('distribution', () => {
  test('summarises a column in any insertion order, past its first growth', () => {
    const column = new NumberColumn()
    for (let i = 100; i >= 1; i--) column.push(i)
    expect(distribution(column)).toEqual({
      p50: 50.5,
      p95: 95.05,
      p99: 99.01,
      mean: 50.5,
      max: 100,
    })
  })
})
