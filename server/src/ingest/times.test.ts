import { describe, expect, test } from 'bun:test'
import { parseRfc3339, toEpochMs } from './times.ts'

describe('parseRfc3339', () => {
  test('reads UTC, offsets and sub-millisecond fractions', () => {
    expect(parseRfc3339('2025-12-03T10:00:00Z')).toBe(1764756000000)
    expect(parseRfc3339('2025-12-03T11:00:00.8405+01:00')).toBe(1764756000840.5)
    expect(parseRfc3339('2025-12-03 04:30:00-05:30')).toBe(1764756000000)
  })

  test('refuses times that do not exist rather than rolling them over', () => {
    for (const text of [
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-01-01T25:00:00Z',
      '2026-01-01T00:60:00Z',
    ]) {
      expect(parseRfc3339(text)).toBeNull()
    }
    expect(parseRfc3339('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29))
  })
})

describe('toEpochMs', () => {
  test('passes epoch milliseconds through and refuses epoch seconds', () => {
    expect(toEpochMs(1764756000000.25)).toBe(1764756000000.25)
    expect(toEpochMs(1764756000)).toBe(
      'is 1764756000, which is before 1973 as epoch milliseconds; send milliseconds, not seconds',
    )
  })

  test('names an impossible date', () => {
    expect(toEpochMs('2026-02-30T00:00:00Z')).toBe(
      'is not a real RFC 3339 time (actual: "2026-02-30T00:00:00Z")',
    )
  })
})
