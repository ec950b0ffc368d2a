/**
 * The baseline an anomaly was judged against, bucket by bucket, for drawing behind its series.
 * The server returns the expected value only for the anomalous bucket; this recomputes the
 * whole line from the same time series the same way (its analytics/anomalies.ts): each bucket
 * against the 120 buckets before it, on the logarithm of the metric, with the median/MAD-
 * trimmed mean for latency and the plain mean for the rest. The band is the warning bar:
 * inside it a bucket is normal, outside it the detector would warn.
 */

export interface BaselineOptions {
  warningZ: number
  baselineBuckets: number
  baselineBucketsMin: number
  bucketCallsMin: number
  baselineCallsMin: number
}

/** The server's defaults (ANOMALY_DEFAULTS): a 2σ warning bar over two hours of minutes. */
export const BASELINE_DEFAULTS: BaselineOptions = {
  warningZ: 2,
  baselineBuckets: 120,
  baselineBucketsMin: 20,
  bucketCallsMin: 5,
  baselineCallsMin: 100,
}

/** Per bucket: where the metric is expected, and the band it normally stays in. */
export interface BaselineBand {
  center: (number | null)[]
  low: (number | null)[]
  high: (number | null)[]
}

// 1.4826 turns a median absolute deviation into σ for normal data; a change under 1% is never
// an anomaly (the server's LOG_SCALE_MIN), so the band is never narrower than that.
const MAD_TO_SIGMA = 1.4826
const LOG_SCALE_MIN = 0.01
const MADS_MAX = 3.5

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length / 2
  return sorted.length % 2 === 1
    ? (sorted[Math.floor(mid)] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

function meanAndDeviation(values: readonly number[]): { center: number; scale: number } {
  const center = values.reduce((sum, v) => sum + v, 0) / values.length
  if (values.length < 2) return { center, scale: 0 }
  const squares = values.reduce((sum, v) => sum + (v - center) ** 2, 0)
  return { center, scale: Math.sqrt(squares / (values.length - 1)) }
}

/** Median and MAD find the outliers; the mean and deviation of the rest are the baseline. */
export function trimmedBaseline(values: readonly number[]): { center: number; scale: number } {
  const center = median(values)
  const scale = MAD_TO_SIGMA * median(values.map((v) => Math.abs(v - center)))
  const inliers = values.filter((v) => Math.abs(v - center) <= MADS_MAX * scale)
  return inliers.length < 2 ? { center, scale } : meanAndDeviation(inliers)
}

/** One bucket of a continuous metric: its value, and the calls the value comes from. */
export interface ValueBucket {
  value: number | null
  calls: number
}

/**
 * The baseline of a latency, cost or token series. `method` is the anomaly's: `robust` for
 * latency, `zscore` for the others.
 */
export function continuousBaseline(
  buckets: readonly ValueBucket[],
  method: 'robust' | 'zscore',
  options: BaselineOptions = BASELINE_DEFAULTS,
): BaselineBand {
  const logs = buckets.map((b) =>
    b.value !== null && b.value > 0 && b.calls >= options.bucketCallsMin ? Math.log(b.value) : null,
  )
  const band: BaselineBand = { center: [], low: [], high: [] }
  for (let i = 0; i < buckets.length; i++) {
    const history: number[] = []
    for (let j = Math.max(0, i - options.baselineBuckets); j < i; j++) {
      const earlier = logs[j]
      if (earlier !== null && earlier !== undefined) history.push(earlier)
    }
    if (history.length < options.baselineBucketsMin) {
      band.center.push(null)
      band.low.push(null)
      band.high.push(null)
      continue
    }
    const { center, scale } =
      method === 'robust' ? trimmedBaseline(history) : meanAndDeviation(history)
    const reach = options.warningZ * Math.max(scale, LOG_SCALE_MIN)
    band.center.push(Math.exp(center))
    band.low.push(Math.exp(center - reach))
    band.high.push(Math.exp(center + reach))
  }
  return band
}

/** One bucket of an error rate: its calls and failed calls. */
export interface RateBucket {
  count: number
  errorCount: number
}

/**
 * The baseline of an error rate: the rate of the trailing buckets pooled, with half an error
 * added as the server does. The server judges a bucket by the binomial tail; the band is the
 * normal approximation of the same bar for the bucket's own number of calls, which is close
 * from a few dozen calls up and only guides the eye.
 */
export function rateBaseline(
  buckets: readonly RateBucket[],
  options: BaselineOptions = BASELINE_DEFAULTS,
): BaselineBand {
  const band: BaselineBand = { center: [], low: [], high: [] }
  for (let i = 0; i < buckets.length; i++) {
    let calls = 0
    let errors = 0
    let judged = 0
    for (let j = Math.max(0, i - options.baselineBuckets); j < i; j++) {
      const earlier = buckets[j] as RateBucket
      if (earlier.count < options.bucketCallsMin) continue
      calls += earlier.count
      errors += earlier.errorCount
      judged++
    }
    if (judged < options.baselineBucketsMin || calls < options.baselineCallsMin) {
      band.center.push(null)
      band.low.push(null)
      band.high.push(null)
      continue
    }
    const rate = (errors + 0.5) / (calls + 1)
    const n = Math.max((buckets[i] as RateBucket).count, 1)
    const reach = options.warningZ * Math.sqrt((rate * (1 - rate)) / n)
    band.center.push(rate)
    band.low.push(Math.max(0, rate - reach))
    band.high.push(Math.min(1, rate + reach))
  }
  return band
}
