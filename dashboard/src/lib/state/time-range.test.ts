import { describe, expect, test } from 'bun:test'
import {
  bucketStarts,
  describeRange,
  niceStepMs,
  previousWindow,
  resolveWindow,
} from './time-range.ts'

const NOW = Date.UTC(2026, 11, 3, 14, 7, 31, 250)

describe('niceStepMs', () => {
  test('rounds the raw step up to a step a person would pick', () => {
    expect(niceStepMs(15 * 60_000)).toBe(10_000)
    expect(niceStepMs(3_600_000)).toBe(30_000)
    expect(niceStepMs(6 * 3_600_000)).toBe(300_000)
    expect(niceStepMs(24 * 3_600_000)).toBe(900_000)
    expect(niceStepMs(30 * 86_400_000)).toBe(21_600_000)
  })

  test('past a day per bucket it uses whole days', () => {
    expect(niceStepMs(365 * 86_400_000)).toBe(4 * 86_400_000)
  })
})

describe('resolveWindow', () => {
  test('a sliding window ends now and starts on a multiple of its step', () => {
    const window = resolveWindow({ kind: 'preset', preset: '6h' }, NOW)

    expect(window.toMs).toBe(NOW)
    expect(window.stepMs).toBe(300_000)
    expect(window.fromMs % window.stepMs).toBe(0)
    expect(window.fromMs).toBeLessThanOrEqual(NOW - 6 * 3_600_000)
    expect(window.fromMs).toBeGreaterThan(NOW - 6 * 3_600_000 - window.stepMs)
  })

  test('moments later the same buckets remain', () => {
    const a = resolveWindow({ kind: 'preset', preset: '1h' }, NOW)
    const b = resolveWindow({ kind: 'preset', preset: '1h' }, NOW + 5_000)
    expect(b.fromMs).toBe(a.fromMs)
  })

  test('an absolute range is taken as given', () => {
    const range = { kind: 'absolute', fromMs: NOW - 7_200_000, toMs: NOW } as const
    expect(resolveWindow(range, 0)).toEqual({ fromMs: NOW - 7_200_000, toMs: NOW, stepMs: 60_000 })
  })
})

describe('previousWindow and bucketStarts', () => {
  test('the previous window has the same length and ends where this one starts', () => {
    const window = { fromMs: 1_000, toMs: 4_000, stepMs: 500 }
    expect(previousWindow(window)).toEqual({ fromMs: -2_000, toMs: 1_000, stepMs: 500 })
  })

  test('buckets cover the window, the last one partial', () => {
    expect(bucketStarts({ fromMs: 0, toMs: 1_100, stepMs: 500 })).toEqual([0, 500, 1_000])
  })
})

describe('describeRange', () => {
  test('presets read as "last …", absolute ranges as two times', () => {
    expect(describeRange({ kind: 'preset', preset: '24h' }, String)).toBe('last 24 hours')
    expect(describeRange({ kind: 'absolute', fromMs: 1, toMs: 2 }, String)).toBe('1 – 2')
  })
})
