import { describe, expect, test } from 'bun:test'
import normal from '@stdlib/random-base-normal'
import { medianComparison, twoProportionTest, welchComparison } from './significance.ts'
import { seededUniform } from './stdlib.ts'

/** A seeded stream of log-normal latencies around `medianMs`, σ 0.6 as LLM calls have it. */
function latencies(seed: number) {
  const gaussian = normal.factory(0, 1, { seed })
  return (n: number, medianMs = 800) =>
    Array.from({ length: n }, () => medianMs * Math.exp(0.6 * gaussian()))
}

/** How many of `pValues` fall in each tenth of [0, 1]. */
function deciles(pValues: readonly number[]): number[] {
  const counts = new Array<number>(10).fill(0)
  for (const p of pValues) {
    const decile = Math.min(9, Math.floor(p * 10))
    counts[decile] = (counts[decile] as number) + 1
  }
  return counts
}

/**
 * Under A/A every p-value is uniform on [0, 1]. With 500 repeats each decile expects 50
 * (σ ≈ 6.7), so 30–70 is a 3σ band; the seed is fixed, so the outcome never changes between
 * runs, and the band says how far from uniform it would have to be to fail.
 */
function expectUniform(pValues: readonly number[]) {
  expect(pValues).toHaveLength(500)
  const falsePositives = pValues.filter((p) => p < 0.05).length / pValues.length
  expect(falsePositives).toBeGreaterThan(0.03)
  expect(falsePositives).toBeLessThan(0.07)
  for (const count of deciles(pValues)) {
    expect(count).toBeGreaterThanOrEqual(30)
    expect(count).toBeLessThanOrEqual(70)
  }
}

describe('A/A: the same distribution in both arms', () => {
  test('Mann-Whitney p-values of latency are uniform, false positives ≈ 5%', () => {
    const draw = latencies(11)
    const pValues = Array.from({ length: 500 }, () => {
      const result = medianComparison(draw(200), draw(200), { resamples: 50, seed: 1, minN: 30 })
      return result.pValue as number
    })
    expectUniform(pValues)
  })

  test("Welch's t p-values of a score are uniform", () => {
    const gaussian = normal.factory(0.7, 0.15, { seed: 12 })
    const scores = (n: number) => Array.from({ length: n }, () => gaussian())
    expectUniform(
      Array.from({ length: 500 }, () => welchComparison(scores(100), scores(100)).pValue as number),
    )
  })

  test('two-proportion p-values of error rates are close to uniform', () => {
    const uniform = seededUniform(13)
    const errors = (n: number) => Array.from({ length: n }).filter(() => uniform() < 0.05).length
    const pValues = Array.from({ length: 500 }, () => {
      return twoProportionTest(errors(2000), 2000, errors(2000), 2000).pValue as number
    })
    // Counts are discrete, so p-values bunch a little; the false-positive rate is what matters.
    const falsePositives = pValues.filter((p) => p < 0.05).length / pValues.length
    expect(falsePositives).toBeGreaterThan(0.03)
    expect(falsePositives).toBeLessThan(0.07)
  })

  test('the bootstrap interval of the difference of medians covers 0 about 95% of the time', () => {
    const draw = latencies(14)
    let covered = 0
    for (let i = 0; i < 200; i++) {
      const { ci95 } = medianComparison(draw(200), draw(200), {
        resamples: 300,
        seed: i + 1,
        minN: 30,
      })
      const [low, high] = ci95 as [number, number]
      if (low <= 0 && high >= 0) covered++
    }
    expect(covered / 200).toBeGreaterThan(0.9)
    expect(covered / 200).toBeLessThan(0.99)
  })
})

describe('real differences', () => {
  test('10% slower latency at n = 2,000 per arm is detected', () => {
    const draw = latencies(21)
    const a = draw(2000, 800)
    const b = draw(2000, 880)
    const result = medianComparison(a, b)

    expect(result.pValue).toBeLessThan(0.001)
    const [low, high] = result.ci95 as [number, number]
    expect(low).toBeGreaterThan(0)
    // The true difference of medians is 80 ms; the interval holds it.
    expect(low).toBeLessThan(80)
    expect(high).toBeGreaterThan(80)
    expect(result.method).toContain('Mann-Whitney')
    expect(result.warning).toBeNull()
  })

  test('an error rate of 4% against 2% at n = 2,000 per arm is detected', () => {
    const result = twoProportionTest(40, 2000, 80, 2000)
    expect(result.diff).toBeCloseTo(0.02, 10)
    expect(result.pValue).toBeLessThan(0.001)
    expect(result.ci95?.[0]).toBeGreaterThan(0)
    expect(result.method).toBe('two-proportion z-test')
  })

  test("Welch's interval is of b − a", () => {
    const result = welchComparison([1, 2, 3, 4, 5, 6], [11, 12, 13, 14, 15, 16], 2)
    expect(result.diff).toBe(10)
    expect(result.ci95?.[0]).toBeGreaterThan(7)
    expect(result.ci95?.[1]).toBeLessThan(13)
  })
})

describe('small samples', () => {
  test('say so plainly, and give no verdict material they cannot back', () => {
    const latency = medianComparison([100, 200, 300], [400, 500, 600, 700])
    expect(latency.warning).toBe(
      'too few values to conclude: a has 3, b has 4; at least 30 each are needed',
    )
    const errors = twoProportionTest(1, 50, 3, 40)
    expect(errors.warning).toBe(
      'too few errors to conclude: the test needs 10 of each per arm (fewest seen: 1)',
    )
    const none = welchComparison([], [1, 2])
    expect([none.a, none.pValue, none.ci95]).toEqual([null, null, null])
  })

  test('identical constant arms have no test to run', () => {
    const result = medianComparison(new Array(50).fill(5), new Array(50).fill(5))
    expect([result.diff, result.pValue, result.ci95]).toEqual([0, null, null])
  })
})
