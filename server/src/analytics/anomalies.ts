import {
  type Baseline,
  meanBaseline,
  SortedWindow,
  trimmedBaselineOfSorted,
  zScoreOf,
} from './baseline.ts'
import { binomialUpperTail, standardNormalQuantile } from './stdlib.ts'

/** One time bucket of one group's calls, as the store aggregates it. */
export interface BucketAggregate {
  /** Bucket start, epoch ms. */
  time: number
  count: number
  errorCount: number
  latencyMeanMs: number | null
  latencyP95Ms: number | null
  /** Sums over the bucket's calls. */
  costUsd: number
  inputTokens: number
  outputTokens: number
}

export const ANOMALY_METRICS = [
  'latencyMs',
  'latencyP95Ms',
  'costPerCallUsd',
  'errorRate',
  'inputTokens',
  'outputTokens',
] as const
export type AnomalyMetric = (typeof ANOMALY_METRICS)[number]

export type Severity = 'warning' | 'critical'
export type DetectionMethod = 'robust' | 'zscore' | 'binomial'

export interface AnomalyOptions {
  /** |z| at or past this is a warning: on calm traffic about 5% of evaluations, by design. */
  warningZ: number
  /** |z| at or past this, or a sustained shift whose combined z is, is critical. */
  criticalZ: number
  /** Trailing buckets the baseline of a bucket is computed from. */
  baselineBuckets: number
  /** Fewer evaluable buckets than this in the trailing window, and the bucket is not judged. */
  baselineBucketsMin: number
  /** Calls a bucket needs before its mean, p95 or rate says anything. */
  bucketCallsMin: number
  /** Calls the baseline of an error rate needs, so that a rate of 0 over 20 calls is no norm. */
  baselineCallsMin: number
  /** Consecutive buckets past the warning bar whose combined z may make a sustained shift. */
  sustainedBucketsMax: number
  /** `auto` picks per metric: robust for latency, the classic z-score for the rest. */
  method: 'auto' | 'robust' | 'zscore'
}

/**
 * The defaults and the arithmetic behind them. Two hours of one-minute buckets estimate σ from
 * up to 120 values, to within about ±7%; below 20 a 4σ bar is no longer near 4σ. Under the null
 * one bucket passes |z| ≥ 4 with p ≈ 6e-5, each sustained-shift check adds about as much, and
 * the estimated σ fattens the tails a little: on simulated calm traffic that is 3–4 criticals
 * per 10,000 evaluations, under the 1 per 1,000 budget. A 4σ step averages (z₁ + z₂)/√2 ≈
 * 5.7 over its first two buckets, so it is critical within two buckets about 95% of the time or
 * better, which is what any test gets from two buckets at this false-alarm rate.
 */
export const ANOMALY_DEFAULTS: AnomalyOptions = {
  warningZ: 2,
  criticalZ: 4,
  baselineBuckets: 120,
  baselineBucketsMin: 20,
  bucketCallsMin: 5,
  baselineCallsMin: 100,
  sustainedBucketsMax: 3,
  method: 'auto',
}

export interface BucketAnomaly {
  metric: AnomalyMetric
  time: number
  value: number
  expected: number
  zScore: number
  severity: Severity
  method: DetectionMethod
  /** Calls in the bucket. */
  count: number
  /** 1 for a single bucket; more when a run of buckets together made the shift critical. */
  sustainedBuckets: number
}

export interface Detection {
  anomalies: BucketAnomaly[]
  /** Bucket and metric pairs that had enough data to be judged. */
  evaluations: number
}

// Latencies and per-call costs and tokens are positive and skewed: their logarithms are close
// to normal, and a 2× change weighs the same at 100 ms as at 10 s. A change under 1% is never
// an anomaly, however flat the series: that floor keeps a constant series from dividing by 0.
const LOG_SCALE_MIN = 0.01
// Far enough into the tail to be certain, and finite: JSON has no Infinity.
const Z_MAX = 38

interface ContinuousMetric {
  /** The bucket's value in the metric's unit, or null when it has none. */
  value(p: BucketAggregate): number | null
  /** The calls the value is computed from, checked against bucketCallsMin. */
  calls(p: BucketAggregate): number
  method: 'robust' | 'zscore'
}

const okCalls = (p: BucketAggregate) => p.count - p.errorCount
const perOkCall = (sum: number, p: BucketAggregate) => (okCalls(p) > 0 ? sum / okCalls(p) : null)

const CONTINUOUS: Record<Exclude<AnomalyMetric, 'errorRate'>, ContinuousMetric> = {
  latencyMs: { value: (p) => p.latencyMeanMs, calls: (p) => p.count, method: 'robust' },
  latencyP95Ms: { value: (p) => p.latencyP95Ms, calls: (p) => p.count, method: 'robust' },
  costPerCallUsd: { value: (p) => perOkCall(p.costUsd, p), calls: okCalls, method: 'zscore' },
  inputTokens: { value: (p) => perOkCall(p.inputTokens, p), calls: okCalls, method: 'zscore' },
  outputTokens: { value: (p) => perOkCall(p.outputTokens, p), calls: okCalls, method: 'zscore' },
}

/** A bucket's score before severity: its z, and what it was measured against. */
interface Scored {
  index: number
  z: number
  expected: number
  method: DetectionMethod
}

/**
 * Judges every bucket that starts at or after `evaluateFromMs` against the buckets before it.
 * `points` is one group's series in time order; buckets before `evaluateFromMs` serve only as
 * baseline. Missing buckets are gaps, not zeros.
 *
 * @example
 *   const { anomalies } = detectBucketAnomalies(series, 60_000, fromMs, ANOMALY_DEFAULTS)
 */
export function detectBucketAnomalies(
  points: readonly BucketAggregate[],
  stepMs: number,
  evaluateFromMs: number,
  options: AnomalyOptions = ANOMALY_DEFAULTS,
  metrics: readonly AnomalyMetric[] = ANOMALY_METRICS,
): Detection {
  if (!(stepMs > 0)) throw new Error(`stepMs must be > 0 (actual: ${stepMs})`)
  if (!(options.warningZ > 0 && options.criticalZ >= options.warningZ)) {
    throw new Error('thresholds need 0 < warningZ ≤ criticalZ')
  }
  const detection: Detection = { anomalies: [], evaluations: 0 }
  for (const metric of metrics) {
    const scored =
      metric === 'errorRate'
        ? scoreErrorRate(points, stepMs, evaluateFromMs, options)
        : scoreContinuous(CONTINUOUS[metric], points, stepMs, evaluateFromMs, options)
    detection.evaluations += scored.length
    detection.anomalies.push(...classify(metric, scored, points, stepMs, options))
  }
  return detection
}

/** Indices of the points in the trailing window of point `i`, oldest first. */
function* trailing(points: readonly BucketAggregate[], i: number, windowMs: number) {
  const fromMs = (points[i] as BucketAggregate).time - windowMs
  let j = i - 1
  while (j >= 0 && (points[j] as BucketAggregate).time >= fromMs) j--
  for (let k = j + 1; k < i; k++) yield k
}

function scoreContinuous(
  metric: ContinuousMetric,
  points: readonly BucketAggregate[],
  stepMs: number,
  evaluateFromMs: number,
  options: AnomalyOptions,
): Scored[] {
  const logs = points.map((p) => {
    const value = metric.calls(p) >= options.bucketCallsMin ? metric.value(p) : null
    return value !== null && value > 0 ? Math.log(value) : null
  })
  const method = options.method === 'auto' ? metric.method : options.method
  const baselineOf = method === 'robust' ? trimmedBaselineOfSorted : meanBaseline
  const windowMs = options.baselineBuckets * stepMs

  // The trailing window of point i is every earlier point less than windowMs before it; it
  // slides forward with i, so each value joins once and leaves once.
  const history = new SortedWindow()
  let oldest = 0
  const scored: Scored[] = []
  for (let i = 0; i < points.length; i++) {
    const time = (points[i] as BucketAggregate).time
    const joining = i > 0 ? logs[i - 1] : null
    if (joining !== null && joining !== undefined) history.add(joining)
    for (; oldest < i && (points[oldest] as BucketAggregate).time < time - windowMs; oldest++) {
      const leaving = logs[oldest]
      if (leaving !== null && leaving !== undefined) history.remove(leaving)
    }

    const value = logs[i]
    if (value === null || value === undefined || time < evaluateFromMs) continue
    if (history.size < options.baselineBucketsMin) continue
    const baseline: Baseline = baselineOf(history.sorted())
    const z = clampZ(zScoreOf(value, baseline, LOG_SCALE_MIN))
    scored.push({ index: i, z, expected: Math.exp(baseline.center), method })
  }
  return scored
}

/**
 * An error rate is a count out of n, so it is judged by the binomial tail rather than by a
 * z-score of rates: a bucket of 20 calls with 2 errors against a 1% norm has P ≈ 1.7%, which a
 * normal approximation would call a 4σ event. Only a rise is an anomaly; fewer errors page no one.
 */
function scoreErrorRate(
  points: readonly BucketAggregate[],
  stepMs: number,
  evaluateFromMs: number,
  options: AnomalyOptions,
): Scored[] {
  const windowMs = options.baselineBuckets * stepMs
  const scored: Scored[] = []
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as BucketAggregate
    if (point.time < evaluateFromMs || point.count < options.bucketCallsMin) continue
    let calls = 0
    let errors = 0
    let buckets = 0
    for (const j of trailing(points, i, windowMs)) {
      const earlier = points[j] as BucketAggregate
      if (earlier.count < options.bucketCallsMin) continue
      calls += earlier.count
      errors += earlier.errorCount
      buckets++
    }
    if (buckets < options.baselineBucketsMin || calls < options.baselineCallsMin) continue
    // Half an error added to the norm (a Jeffreys-style prior), so that a spotless hour is not
    // a rate of exactly 0 against which any single error would be infinitely unlikely.
    const rate = (errors + 0.5) / (calls + 1)
    const tail = binomialUpperTail(point.errorCount, point.count, rate)
    const z = tail >= 0.5 ? 0 : clampZ(-standardNormalQuantile(Math.max(tail, 1e-300)))
    scored.push({ index: i, z, expected: rate, method: 'binomial' })
  }
  return scored
}

function clampZ(z: number): number {
  return Math.max(-Z_MAX, Math.min(Z_MAX, z))
}

/**
 * Severity per scored bucket: a single bucket by its own |z|, and a run of consecutive buckets,
 * each past the warning bar on the same side, by their combined z (Stouffer's Σz/√k), which is
 * standard normal under the null like a single z, so the same critical bar holds for both.
 */
function classify(
  metric: AnomalyMetric,
  scored: readonly Scored[],
  points: readonly BucketAggregate[],
  stepMs: number,
  options: AnomalyOptions,
): BucketAnomaly[] {
  const anomalies: BucketAnomaly[] = []
  const run: Scored[] = []
  for (const current of scored) {
    const point = points[current.index] as BucketAggregate
    const previous = run[run.length - 1]
    const continues =
      previous !== undefined &&
      point.time - (points[previous.index] as BucketAggregate).time === stepMs &&
      Math.sign(previous.z) === Math.sign(current.z)
    if (Math.abs(current.z) < options.warningZ) {
      run.length = 0
      continue
    }
    if (!continues) run.length = 0
    run.push(current)

    // The bucket's own z, unless it is short of critical and a run ending here reaches it.
    let z = current.z
    let sustainedBuckets = 1
    if (Math.abs(z) < options.criticalZ) {
      const [combined, buckets] = strongestRun(run, options.sustainedBucketsMax)
      if (Math.abs(combined) >= options.criticalZ) {
        z = combined
        sustainedBuckets = buckets
      }
    }
    anomalies.push({
      metric,
      time: point.time,
      value: metricValue(metric, point) as number,
      expected: current.expected,
      zScore: z,
      severity: Math.abs(z) >= options.criticalZ ? 'critical' : 'warning',
      method: current.method,
      count: point.count,
      sustainedBuckets,
    })
  }
  return anomalies
}

/** The largest combined z, Σz/√k, of the last k buckets of a run, k from 2 to `bucketsMax`. */
function strongestRun(run: readonly Scored[], bucketsMax: number): [number, number] {
  let best: [number, number] = [0, 1]
  let sum = (run[run.length - 1] as Scored).z
  for (let k = 2; k <= Math.min(run.length, bucketsMax); k++) {
    sum += (run[run.length - k] as Scored).z
    const combined = sum / Math.sqrt(k)
    if (Math.abs(combined) > Math.abs(best[0])) best = [combined, k]
  }
  return best
}

/** The bucket's value of a metric, in the metric's unit. */
export function metricValue(metric: AnomalyMetric, point: BucketAggregate): number | null {
  if (metric === 'errorRate') return point.count === 0 ? null : point.errorCount / point.count
  return CONTINUOUS[metric].value(point)
}
