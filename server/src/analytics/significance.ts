import { mean, median } from './baseline.ts'
import { quantileSorted } from './quantiles.ts'
import {
  mannWhitneyPValue,
  seededUniform,
  standardNormalCdf,
  standardNormalQuantile,
  welchTest,
} from './stdlib.ts'

/** The outcome of comparing arm b against arm a: b − a, its 95% interval, and a p-value. */
export interface TestResult {
  a: number | null
  b: number | null
  diff: number | null
  ci95: [number, number] | null
  pValue: number | null
  method: string
  nA: number
  nB: number
  /** Set when the samples are too small for the result to mean anything; says why. */
  warning: string | null
}

const Z_975 = standardNormalQuantile(0.975)

function tooFew(nA: number, nB: number, needed: number, what: string): string | null {
  if (nA >= needed && nB >= needed) return null
  return `too few ${what} to conclude: a has ${nA}, b has ${nB}; at least ${needed} each are needed`
}

/**
 * Two error rates by the two-proportion z-test (pooled under the null), with the unpooled Wald
 * interval of the difference. The normal approximation needs about 10 failures and 10 successes
 * per arm; below that the result comes with a warning.
 */
export function twoProportionTest(
  errorsA: number,
  nA: number,
  errorsB: number,
  nB: number,
): TestResult {
  const method = 'two-proportion z-test'
  const empty = { diff: null, ci95: null, pValue: null, method, nA, nB }
  if (nA === 0 || nB === 0) {
    return { a: null, b: null, ...empty, warning: tooFew(nA, nB, 1, 'calls') }
  }
  const pA = errorsA / nA
  const pB = errorsB / nB
  const diff = pB - pA
  const pooled = (errorsA + errorsB) / (nA + nB)
  const nullSe = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB))
  const pValue = nullSe === 0 ? 1 : 2 * standardNormalCdf(-Math.abs(diff) / nullSe)
  const se = Math.sqrt((pA * (1 - pA)) / nA + (pB * (1 - pB)) / nB)
  const smallest = Math.min(errorsA, nA - errorsA, errorsB, nB - errorsB)
  const warning =
    smallest >= 10
      ? null
      : `too few ${Math.min(errorsA, errorsB) === smallest ? 'errors' : 'successes'} to conclude: ` +
        `the test needs 10 of each per arm (fewest seen: ${smallest})`
  return {
    a: pA,
    b: pB,
    diff,
    ci95: [diff - Z_975 * se, diff + Z_975 * se],
    pValue,
    method,
    nA,
    nB,
    warning,
  }
}

/** Means by Welch's t-test, which does not assume the arms share a variance. */
export function welchComparison(a: ArrayLike<number>, b: ArrayLike<number>, minN = 30): TestResult {
  const method = "Welch's t-test"
  const base = { nA: a.length, nB: b.length, warning: tooFew(a.length, b.length, minN, 'values') }
  const meanA = a.length > 0 ? mean(a) : null
  const meanB = b.length > 0 ? mean(b) : null
  const diff = meanA !== null && meanB !== null ? meanB - meanA : null
  if (a.length < 2 || b.length < 2 || isConstant(a, b)) {
    return { a: meanA, b: meanB, diff, ci95: null, pValue: null, method, ...base }
  }
  const { pValue, ci95 } = welchTest(a, b)
  return { a: meanA, b: meanB, diff, ci95, pValue, method, ...base }
}

/** True when every value of both samples is the same one: no test has anything to go on. */
function isConstant(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const first = a[0]
  for (const sample of [a, b])
    for (let i = 0; i < sample.length; i++) if (sample[i] !== first) return false
  return true
}

export interface MedianOptions {
  /** Bootstrap resamples: 1,000 put a 95% percentile bound within about ±0.7 of a rank. */
  resamples: number
  seed: number
  minN: number
}

export const MEDIAN_DEFAULTS: MedianOptions = { resamples: 1000, seed: 20_260_101, minN: 30 }

/**
 * Medians of a skewed quantity such as latency: the p-value by the Mann-Whitney U test (which
 * asks whether one arm tends to be slower, without assuming any shape) and the interval of the
 * difference of medians by a seeded percentile bootstrap, so that the same data always gives the
 * same interval.
 */
export function medianComparison(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: MedianOptions = MEDIAN_DEFAULTS,
): TestResult {
  const method = 'Mann-Whitney U; bootstrap CI of the difference of medians'
  const base = {
    nA: a.length,
    nB: b.length,
    warning: tooFew(a.length, b.length, options.minN, 'values'),
  }
  const medianA = a.length > 0 ? median(a) : null
  const medianB = b.length > 0 ? median(b) : null
  const diff = medianA !== null && medianB !== null ? medianB - medianA : null
  if (a.length < 2 || b.length < 2 || isConstant(a, b)) {
    return { a: medianA, b: medianB, diff, ci95: null, pValue: null, method, ...base }
  }
  const pValue = mannWhitneyPValue(a, b)
  const ci95 = bootstrapMedianDifference(a, b, options)
  return { a: medianA, b: medianB, diff, ci95, pValue, method, ...base }
}

/**
 * The 2.5th and 97.5th percentiles of median(b*) − median(a*) over resamples with replacement.
 * A resample's median needs no sort: draw n ranks of the sorted sample, count them, and walk the
 * counts to the middle one, which is O(n) per resample instead of O(n log n).
 */
function bootstrapMedianDifference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: MedianOptions,
): [number, number] {
  const uniform = seededUniform(options.seed)
  const sortedA = Float64Array.from(a).sort()
  const sortedB = Float64Array.from(b).sort()
  const countsA = new Uint32Array(sortedA.length)
  const countsB = new Uint32Array(sortedB.length)
  const diffs = new Float64Array(options.resamples)
  for (let r = 0; r < options.resamples; r++) {
    diffs[r] =
      resampledMedian(sortedB, countsB, uniform) - resampledMedian(sortedA, countsA, uniform)
  }
  diffs.sort()
  return [quantileSorted(diffs, 0.025) as number, quantileSorted(diffs, 0.975) as number]
}

function resampledMedian(sorted: Float64Array, counts: Uint32Array, uniform: () => number): number {
  const n = sorted.length
  counts.fill(0)
  for (let i = 0; i < n; i++) (counts[Math.floor(uniform() * n)] as number)++
  const lowRank = Math.floor((n - 1) / 2)
  const highRank = Math.ceil((n - 1) / 2)
  let seen = 0
  let low = Number.NaN
  for (let i = 0; i < n; i++) {
    seen += counts[i] as number
    if (Number.isNaN(low) && seen > lowRank) low = sorted[i] as number
    if (seen > highRank) return (low + (sorted[i] as number)) / 2
  }
  return low
}
