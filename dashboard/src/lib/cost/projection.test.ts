import { describe, expect, test } from 'bun:test'
import { monthBounds, projectMonthEnd } from './projection.ts'

describe('monthBounds', () => {
  test('from the first of this month to the first of the next, local time', () => {
    const now = new Date(2026, 1, 14, 15, 30).getTime()
    expect(monthBounds(now)).toEqual({
      startMs: new Date(2026, 1, 1).getTime(),
      endMs: new Date(2026, 2, 1).getTime(),
    })
  })

  test('December rolls into January', () => {
    expect(monthBounds(new Date(2026, 11, 31, 23).getTime()).endMs).toBe(
      new Date(2027, 0, 1).getTime(),
    )
  })
})

describe('projectMonthEnd', () => {
  test('spent so far plus the burn rate over the days left', () => {
    // Ten days left in the month, spending $12 every six hours: $48 a day.
    const now = new Date(2026, 3, 21).getTime()
    const projection = projectMonthEnd(100, 12, 6 * 3_600_000, now)

    expect(projection.usdPerDay).toBeCloseTo(48, 9)
    expect(projection.projectedUsd).toBeCloseTo(100 + 48 * 10, 6)
    expect(projection.monthEndMs).toBe(new Date(2026, 4, 1).getTime())
  })

  test('no spending keeps the projection at what was spent', () => {
    const projection = projectMonthEnd(7, 0, 3_600_000, Date.now())
    expect(projection.projectedUsd).toBe(7)
    expect(projectMonthEnd(7, 5, 0, Date.now()).usdPerDay).toBe(0)
  })
})
