import { describe, expect, test } from 'bun:test'
import { formatDuration, fromLocalInput, toLocalInput } from './time.ts'

describe('formatDuration', () => {
  test.each([
    [30_000, '30 s'],
    [60_000, '1 min'],
    [300_000, '5 min'],
    [3_600_000, '1 h'],
    [5_400_000, '1 h 30 min'],
    [86_400_000, '1 day'],
    [604_800_000, '7 days'],
  ])('%p → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })
})

describe('datetime-local inputs', () => {
  test('round-trip a time to the minute', () => {
    const ms = new Date(2026, 11, 4, 9, 5).getTime()
    expect(toLocalInput(ms)).toBe('2026-12-04T09:05')
    expect(fromLocalInput(toLocalInput(ms))).toBe(ms)
    expect(fromLocalInput('')).toBeNull()
    expect(fromLocalInput('not a time')).toBeNull()
  })
})
