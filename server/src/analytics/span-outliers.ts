import { medianBaseline } from './baseline.ts'

export interface SpanOutlierOptions {
  /** Robust z of log latency at or past which one call is flagged. */
  zMin: number
  /** And it must be at least this many times the model's median, so a tight model is spared. */
  ratioMin: number
  /** A call this many times the median is flagged whatever its z, so a loose model is not. */
  ratioMax: number
  /** Calls the norm needs before any call is judged against it. */
  baselineCallsMin: number
}

/**
 * Log latency of an LLM call is close to normal, so z ≥ 4 is about 3 calls in 100,000 of
 * ordinary traffic. Where σ of log latency passes 0.58, 4σ is more than 10× the median, so 10×
 * flags by itself: at σ 0.6 that is still only 6 calls in 100,000. The 3× floor keeps a model
 * whose latency barely varies from flagging a call at 1.5× its median.
 */
export const SPAN_OUTLIER_DEFAULTS: SpanOutlierOptions = {
  zMin: 4,
  ratioMin: 3,
  ratioMax: 10,
  baselineCallsMin: 50,
}

/** A model's usual latency: centre and spread of log duration, and the bar a call must pass. */
export interface LatencyNorm {
  medianMs: number
  logCenter: number
  logScale: number
  count: number
  /** Calls at least this slow are outliers. */
  thresholdMs: number
}

/** The median and MAD of log latency (the MAD ignores the outliers it is used to find). */
export function latencyNorm(
  durationsMs: ArrayLike<number>,
  options: SpanOutlierOptions = SPAN_OUTLIER_DEFAULTS,
): LatencyNorm | null {
  if (durationsMs.length < options.baselineCallsMin) return null
  const logs = new Float64Array(durationsMs.length)
  for (let i = 0; i < durationsMs.length; i++)
    logs[i] = Math.log(Math.max(durationsMs[i] as number, 1e-3))
  const { center, scale } = medianBaseline(logs)
  // A scale under 1% of a log unit is a constant latency: the ratio floor alone then decides.
  const logScale = Math.max(scale, 0.01)
  const medianMs = Math.exp(center)
  const thresholdMs = Math.max(
    Math.min(Math.exp(center + options.zMin * logScale), options.ratioMax * medianMs),
    options.ratioMin * medianMs,
  )
  return { medianMs, logCenter: center, logScale, count: durationsMs.length, thresholdMs }
}

/** How far a call's log latency lies from its model's, in robust standard deviations. */
export function spanZScore(durationMs: number, norm: LatencyNorm): number {
  return (Math.log(Math.max(durationMs, 1e-3)) - norm.logCenter) / norm.logScale
}

export interface SlowCall {
  traceId: string
  spanId: string
  startMs: number
  durationMs: number
}

export interface SpanOutlier extends SlowCall {
  expectedMs: number
  zScore: number
}

/** The calls at or past the norm's threshold, slowest first. */
export function flagSlowCalls(calls: readonly SlowCall[], norm: LatencyNorm): SpanOutlier[] {
  return calls
    .filter((call) => call.durationMs >= norm.thresholdMs)
    .map((call) => ({
      ...call,
      expectedMs: norm.medianMs,
      zScore: spanZScore(call.durationMs, norm),
    }))
    .sort((a, b) => b.durationMs - a.durationMs)
}
