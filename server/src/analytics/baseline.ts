import { quantileSorted, withRoom } from './quantiles.ts'

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
  return quantileSorted(Float64Array.from(values).sort(), 0.5) ?? Number.NaN
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
  return medianBaselineOfSorted(Float64Array.from(values).sort())
}

/** medianBaseline of values already in ascending order, in linear time: nothing is sorted. */
export function medianBaselineOfSorted(sorted: Float64Array): Baseline {
  const n = sorted.length
  const center = quantileSorted(sorted, 0.5) ?? Number.NaN
  // The deviations below the centre, read from the middle outwards, ascend, as do those above
  // it; merging the two runs gives every deviation in order without a sort.
  const deviations = new Float64Array(n)
  let below = upperBound(sorted, center) - 1
  let above = below + 1
  for (let k = 0; k < n; k++) {
    const down = below >= 0 ? center - (sorted[below] as number) : Number.POSITIVE_INFINITY
    const up = above < n ? (sorted[above] as number) - center : Number.POSITIVE_INFINITY
    if (down <= up) {
      deviations[k] = down
      below--
    } else {
      deviations[k] = up
      above++
    }
  }
  return { center, scale: MAD_TO_SIGMA * (quantileSorted(deviations, 0.5) ?? Number.NaN), count: n }
}

/**
 * Median and MAD find the outliers; the mean and standard deviation of what is left describe
 * the rest. As robust as the median to a few spikes in the window, and nearly as steady as the
 * classic estimate on calm data, where the MAD alone, from 60 values, wobbles by ±14%.
 */
export function trimmedBaseline(values: ArrayLike<number>, madsMax = 3.5): Baseline {
  return trimmedBaselineOfSorted(Float64Array.from(values).sort(), madsMax)
}

/** trimmedBaseline of values already in ascending order: the inliers are one run of them. */
export function trimmedBaselineOfSorted(sorted: Float64Array, madsMax = 3.5): Baseline {
  const rough = medianBaselineOfSorted(sorted)
  const reach = madsMax * rough.scale
  let first = 0
  while (first < sorted.length && rough.center - (sorted[first] as number) > reach) first++
  let end = sorted.length
  while (end > first && (sorted[end - 1] as number) - rough.center > reach) end--
  if (end - first < 2) return rough
  return { ...meanBaseline(sorted.subarray(first, end)), count: sorted.length }
}

/** The index of the first value greater than `value` in an ascending array. */
function upperBound(sorted: ArrayLike<number>, value: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((sorted[mid] as number) <= value) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * The values of a trailing window kept in ascending order as it slides: each step adds a value
 * and drops the ones that left, in O(window) moves, where sorting each window afresh made the
 * baselines a third of an anomaly scan (120-bucket windows over a day of one-minute buckets).
 */
export class SortedWindow {
  private values = new Float64Array(16)
  size = 0

  add(value: number): void {
    this.values = withRoom(this.values, this.size)
    const at = upperBound(this.sorted(), value)
    this.values.copyWithin(at + 1, at, this.size)
    this.values[at] = value
    this.size++
  }

  /** Removes one occurrence of `value`, which must be in the window. */
  remove(value: number): void {
    const at = upperBound(this.sorted(), value) - 1
    if (at < 0 || this.values[at] !== value) {
      throw new Error(`SortedWindow.remove: ${value} is not in the window`)
    }
    this.values.copyWithin(at, at + 1, this.size)
    this.size--
  }

  /** A view of the values in ascending order, valid until the next add or remove. */
  sorted(): Float64Array {
    return this.values.subarray(0, this.size)
  }
}

/** How many baseline scales `value` lies from the centre; `scaleMin` keeps a flat series sane. */
export function zScoreOf(value: number, baseline: Baseline, scaleMin: number): number {
  return (value - baseline.center) / Math.max(baseline.scale, scaleMin)
}
