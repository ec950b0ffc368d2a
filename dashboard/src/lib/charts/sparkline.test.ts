import { describe, expect, test } from 'bun:test'
import { sparkPath } from './sparkline.ts'

describe('sparkPath', () => {
  test('spans the box from left to right, highest value at the top', () => {
    expect(sparkPath([0, 5, 10])).toBe('M0.00 22.00L50.00 12.00L100.00 2.00')
  })

  test('a null breaks the line', () => {
    expect(sparkPath([1, null, 1])).toBe('M0.00 2.00M100.00 2.00')
  })

  test('no values, no path; a flat line stays inside the box', () => {
    expect(sparkPath([])).toBe('')
    expect(sparkPath([null])).toBe('')
    expect(sparkPath([0, 0])).toBe('M0.00 22.00L100.00 22.00')
  })
})
