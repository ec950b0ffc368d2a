import { describe, expect, test } from 'bun:test'
import {
  changeOf,
  formatCount,
  formatMs,
  formatPercent,
  formatScore,
  formatUsd,
} from './numbers.ts'

describe('formatCount', () => {
  test.each([
    [0, '0'],
    [9_999, '9,999'],
    [12_345, '12.3k'],
    [4_500_000, '4.5M'],
    [2_000_000_000, '2B'],
    [null, '–'],
    [Number.NaN, '–'],
  ])('%p → %s', (value, text) => {
    expect(formatCount(value)).toBe(text)
  })
})

describe('formatMs', () => {
  test.each([
    [0.25, '0.25 ms'],
    [850.4, '850 ms'],
    [1_240, '1.24 s'],
    [12_500, '12.5 s'],
    [150_000, '2.5 min'],
    [-156.4, '−156 ms'],
    [0, '0 ms'],
    [null, '–'],
  ])('%p → %s', (value, text) => {
    expect(formatMs(value)).toBe(text)
  })
})

describe('formatUsd', () => {
  test.each([
    [0, '$0'],
    [0.0042, '$0.0042'],
    [0.000012345, '$0.000012'],
    [12.345, '$12.35'],
    [1_234.5, '$1,235'],
    [2_500_000, '$2.5M'],
    [-0.00066, '−$0.00066'],
    [-12.345, '−$12.35'],
  ])('%p → %s', (value, text) => {
    expect(formatUsd(value)).toBe(text)
  })
})

describe('formatPercent and formatScore', () => {
  test('percentages keep small rates readable', () => {
    expect(formatPercent(0.012)).toBe('1.2%')
    expect(formatPercent(0.0004)).toBe('0.04%')
    expect(formatPercent(0)).toBe('0%')
    expect(formatPercent(1)).toBe('100%')
  })

  test('scores have two decimals', () => {
    expect(formatScore(0.666)).toBe('0.67')
    expect(formatScore(null)).toBe('–')
  })
})

describe('changeOf', () => {
  test('a rise and a fall as signed percentages', () => {
    expect(changeOf(112, 100)).toEqual({ text: '+12%', direction: 'up' })
    expect(changeOf(75, 100)).toEqual({ text: '−25%', direction: 'down' })
    expect(changeOf(350, 100)).toEqual({ text: '+250%', direction: 'up' })
  })

  test('tiny moves are flat; nothing before is new; unknown is unknown', () => {
    expect(changeOf(100.2, 100).direction).toBe('flat')
    expect(changeOf(5, 0)).toEqual({ text: 'new', direction: 'up' })
    expect(changeOf(0, 0)).toEqual({ text: '0%', direction: 'flat' })
    expect(changeOf(null, 3).direction).toBe('none')
    expect(changeOf(3, null).direction).toBe('none')
  })
})
