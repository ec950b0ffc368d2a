import { describe, expect, test } from 'bun:test'
import {
  medianBaseline,
  medianBaselineOfSorted,
  SortedWindow,
  trimmedBaseline,
  trimmedBaselineOfSorted,
} from './baseline.ts'

function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0
    return state / 4_294_967_296
  }
}

/** The textbook median: sort, then the middle value or the mean of the two middle ones. */
function naiveMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Heavy-tailed samples with repeats, so ties and outliers are both exercised. */
function sample(draw: () => number, n: number): number[] {
  return Array.from({ length: n }, () => {
    const u = draw()
    return u < 0.1 ? 40 + draw() * 200 : Math.round(Math.log(1 + u * 20) * 8) / 8
  })
}

describe('baselines of sorted values', () => {
  test('median and MAD equal their definitions, for odd and even sizes and with ties', () => {
    const draw = random(1)
    for (const n of [1, 2, 3, 4, 7, 60, 119, 120]) {
      const values = sample(draw, n)
      const center = naiveMedian(values)
      const mad = naiveMedian(values.map((v) => Math.abs(v - center)))
      const sorted = Float64Array.from(values).sort()

      const baseline = medianBaselineOfSorted(sorted)
      expect(baseline.center).toBe(center)
      expect(baseline.scale).toBeCloseTo(1.4826 * mad, 12)
      expect(baseline.count).toBe(n)
      expect(medianBaseline(values)).toEqual(baseline)
    }
  })

  test('the trimmed baseline is the mean and deviation of the values within 3.5 MADs', () => {
    const draw = random(2)
    let trimmed = 0
    for (const n of [5, 60, 120]) {
      const values = sample(draw, n)
      const center = naiveMedian(values)
      const reach = 3.5 * 1.4826 * naiveMedian(values.map((v) => Math.abs(v - center)))
      const inliers = values.filter((v) => Math.abs(v - center) <= reach)
      const mean = inliers.reduce((sum, v) => sum + v, 0) / inliers.length
      const sd = Math.sqrt(
        inliers.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (inliers.length - 1),
      )

      const baseline = trimmedBaselineOfSorted(Float64Array.from(values).sort())
      trimmed += n - inliers.length
      expect(baseline.center).toBeCloseTo(mean, 12)
      expect(baseline.scale).toBeCloseTo(sd, 12)
      expect(baseline.count).toBe(n)
      expect(trimmedBaseline(values)).toEqual(baseline)
    }
    // The samples' heavy tail must have given the trimming something to do.
    expect(trimmed).toBeGreaterThan(0)
  })

  test('no values give no centre, and identical values a scale of 0', () => {
    expect(medianBaselineOfSorted(new Float64Array(0)).center).toBeNaN()
    expect(medianBaselineOfSorted(Float64Array.of(3, 3, 3))).toEqual({
      center: 3,
      scale: 0,
      count: 3,
    })
  })
})

describe('SortedWindow', () => {
  test('stays sorted and holds exactly what was added and not yet removed', () => {
    const draw = random(3)
    const window = new SortedWindow()
    const held: number[] = []
    for (let step = 0; step < 5_000; step++) {
      if (held.length > 0 && draw() < 0.45) {
        const value = held.splice(Math.floor(draw() * held.length), 1)[0] as number
        window.remove(value)
      } else {
        const value = Math.floor(draw() * 50) / 4
        window.add(value)
        held.push(value)
      }
      if (step % 97 === 0) {
        expect([...window.sorted()]).toEqual([...held].sort((a, b) => a - b))
      }
    }
    expect(window.size).toBe(held.length)
  })

  test('removing a value it does not hold is a programmer error, and says which', () => {
    const window = new SortedWindow()
    window.add(1)
    window.add(2)
    expect(() => window.remove(1.5)).toThrow('SortedWindow.remove: 1.5 is not in the window')
    expect([...window.sorted()]).toEqual([1, 2])
  })
})
