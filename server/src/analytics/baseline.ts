import { quantileSorted } from './quantiles.ts'

/**
 * Where a metric normally sits and how far it normally strays: the centre and scale a value is
 * measured against, in units of the (possibly log-transformed) metric.
 */
export interface Baseline {
  center: number
  scale: number
  /** How many values the baseline was computed from. */
  count: number
}

// 1.4826 makes the median absolute deviation estimate σ for normal data (1 / Φ⁻¹(3/4)).
const MAD_TO_SIGMA = 1.4826

export function mean(values: ArrayLike<number>): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i] as number
  return sum / values.length
}

/** The sample standard deviation (n − 1 in the denominator). */
export function standardDeviation(values: ArrayLike<number>, center = mean(values)): number {
  if (values.length < 2) return 0
  let squares = 0
  for (let i = 0; i < values.length; i++) squares += ((values[i] as number) - center) ** 2
  return Math.sqrt(squares / (values.length - 1))
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort()
  return quantileSorted(sorted, 0.5) ?? Number.NaN
}

/** The classic baseline: mean and standard deviation. */
export function meanBaseline(values: ArrayLike<number>): Baseline {
  const center = mean(values)
  return { center, scale: standardDeviation(values, center), count: values.length }
}

/**
 * The robust baseline: median and scaled median absolute deviation. One earlier spike, or a
 * heavy tail, barely moves either, where it would inflate a standard deviation for as long as
 * it stays in the window and hide the next spike behind it.
 */
export function medianBaseline(values: ArrayLike<number>): Baseline {
  const center = median(values)
  const deviations = new Float64Array(values.length)
  for (let i = 0; i < values.length; i++) deviations[i] = Math.abs((values[i] as number) - center)
  return { center, scale: MAD_TO_SIGMA * median(deviations), count: values.length }
}

/**
 * Median and MAD find the outliers; the mean and standard deviation of what is left describe
 * the rest. As robust as the median to a few spikes in the window, and nearly as steady as the
 * classic estimate on calm data, where the MAD alone, from 60 values, wobbles by ±14%.
 */
export function trimmedBaseline(values: ArrayLike<number>, madsMax = 3.5): Baseline {
  const rough = medianBaseline(values)
  const inliers: number[] = []
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number
    if (Math.abs(value - rough.center) <= madsMax * rough.scale) inliers.push(value)
  }
  if (inliers.length < 2) return rough
  return { ...meanBaseline(inliers), count: values.length }
}

/** How many baseline scales `value` lies from the centre; `scaleMin` keeps a flat series sane. */
export function zScoreOf(value: number, baseline: Baseline, scaleMin: number): number {
  return (value - baseline.center) / Math.max(baseline.scale, scaleMin)
}
