import normal from '@stdlib/random-base-normal'
import { type AnomalyMetric, type BucketAggregate, metricValue } from '../analytics/anomalies.ts'
import { median, medianBaseline } from '../analytics/baseline.ts'
import { quantileSorted } from '../analytics/quantiles.ts'
import { seededUniform } from '../analytics/stdlib.ts'

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
// 2026-01-05T00:00:00Z, a Monday: a fixed start keeps every generated series the same.
export const SYNTHETIC_START_MS = Date.UTC(2026, 0, 5)

/** Calm traffic of one model, shaped like production: skewed latency, a daily swing, 2% errors. */
export interface TrafficShape {
  callsPerMinute: number
  latencyMedianMs: number
  /** σ of log latency: 0.6 puts p95 at 2.7× the median, as LLM calls typically have it. */
  latencySigma: number
  errorRate: number
  /** Traffic rises and falls by this share of its mean over a day; latency by a third of it. */
  dailySwing: number
}

export const CALM: TrafficShape = {
  callsPerMinute: 30,
  latencyMedianMs: 800,
  latencySigma: 0.6,
  errorRate: 0.02,
  dailySwing: 0.3,
}

/** One simulated call, before aggregation. */
export interface SimCall {
  durationMs: number
  error: boolean
  inputTokens: number
  outputTokens: number
  costUsd: number
}

/** A seeded simulator of calls; the same seed always gives the same traffic. */
export class Simulator {
  readonly uniform: () => number
  readonly gaussian: () => number

  constructor(seed: number) {
    this.uniform = seededUniform(seed)
    this.gaussian = normal.factory(0, 1, { seed: seed + 1 })
  }

  /** The calls of the one-minute bucket starting at `timeMs`. */
  bucketCalls(timeMs: number, shape: TrafficShape = CALM): SimCall[] {
    const phase = Math.sin((2 * Math.PI * (timeMs - SYNTHETIC_START_MS)) / DAY_MS)
    const rate = shape.callsPerMinute * (1 + shape.dailySwing * phase)
    // Poisson arrivals, close enough at these rates: mean λ, spread √λ.
    const count = Math.max(0, Math.round(rate + Math.sqrt(rate) * this.gaussian()))
    const medianMs = shape.latencyMedianMs * (1 + (shape.dailySwing / 3) * phase)
    return Array.from({ length: count }, () => this.call(medianMs, shape))
  }

  call(medianMs: number, shape: TrafficShape = CALM): SimCall {
    const durationMs = medianMs * Math.exp(shape.latencySigma * this.gaussian())
    if (this.uniform() < shape.errorRate) {
      return { durationMs, error: true, inputTokens: 0, outputTokens: 0, costUsd: 0 }
    }
    const inputTokens = Math.round(1200 * Math.exp(0.5 * this.gaussian()))
    const outputTokens = Math.round(300 * Math.exp(0.6 * this.gaussian()))
    const costUsd = inputTokens * 2.5e-6 + outputTokens * 1e-5
    return { durationMs, error: false, inputTokens, outputTokens, costUsd }
  }
}

/** What the store would report for a bucket of these calls. */
export function aggregate(time: number, calls: readonly SimCall[]): BucketAggregate {
  const sorted = Float64Array.from(calls, (c) => c.durationMs).sort()
  let latencySum = 0
  for (const value of sorted) latencySum += value
  const sum = (field: 'costUsd' | 'inputTokens' | 'outputTokens') =>
    calls.reduce((total, call) => total + call[field], 0)
  return {
    time,
    count: calls.length,
    errorCount: calls.filter((c) => c.error).length,
    latencyMeanMs: calls.length === 0 ? null : latencySum / calls.length,
    latencyP95Ms: quantileSorted(sorted, 0.95),
    costUsd: sum('costUsd'),
    inputTokens: sum('inputTokens'),
    outputTokens: sum('outputTokens'),
  }
}

/** `minutes` one-minute buckets of calm traffic from SYNTHETIC_START_MS, as calls. */
export function calmBuckets(seed: number, minutes: number, shape: TrafficShape = CALM) {
  const simulator = new Simulator(seed)
  return Array.from({ length: minutes }, (_, i) => {
    const time = SYNTHETIC_START_MS + i * MINUTE_MS
    return { time, calls: simulator.bucketCalls(time, shape) }
  })
}

/** A label: this metric of this bucket was made anomalous, by `sigmas` of its calm spread. */
export interface Injected {
  metric: AnomalyMetric
  time: number
  sigmas: number
}

/** The metrics a spike can be injected into, and the call field each one scales. */
export const SPIKE_FIELDS = {
  latencyMs: 'durationMs',
  latencyP95Ms: 'durationMs',
  costPerCallUsd: 'costUsd',
  inputTokens: 'inputTokens',
  outputTokens: 'outputTokens',
} as const
export type SpikeMetric = keyof typeof SPIKE_FIELDS

/** The log of a metric's value over a bucket's calls, or null when it has none. */
export function logValue(metric: SpikeMetric, calls: readonly SimCall[]): number | null {
  const value = metricValue(metric, aggregate(0, calls))
  return value === null || value <= 0 ? null : Math.log(value)
}

/**
 * Where a metric's log value sits around each bucket, and how much it strays from bucket to
 * bucket on calm traffic: the local median, and σ from successive differences (which a slow
 * daily swing does not inflate). This is the σ that "a spike of 3σ" is measured in.
 */
export function calmSpread(metric: SpikeMetric, buckets: readonly { calls: SimCall[] }[]) {
  const logs = buckets.map((b) => logValue(metric, b.calls) ?? Number.NaN)
  const steps: number[] = []
  for (let i = 1; i < logs.length; i++) {
    const step = (logs[i] as number) - (logs[i - 1] as number)
    if (Number.isFinite(step)) steps.push(step)
  }
  const sigma = medianBaseline(steps).scale / Math.SQRT2
  const levelAt = (i: number) =>
    median(logs.slice(Math.max(0, i - 60), i + 60).filter((v) => Number.isFinite(v)))
  return { sigma, levelAt }
}

/**
 * Makes one bucket's metric sit exactly `sigmas` σ above its calm level, whatever that bucket's
 * own noise was. A p95 spike moves only the slower half of the calls, as a slow dependency that
 * some requests hit does; the other metrics move every call.
 */
export function injectSpike(metric: SpikeMetric, calls: SimCall[], targetLog: number): void {
  const field = SPIKE_FIELDS[metric]
  const current = logValue(metric, calls)
  if (current === null) throw new Error(`no ${metric} to spike in a bucket of ${calls.length}`)
  const factor = Math.exp(targetLog - current)
  const cut = median(calls.map((c) => c.durationMs))
  for (const call of calls) {
    if (call.error && field !== 'durationMs') continue
    if (metric === 'latencyP95Ms' && call.durationMs < cut) continue
    call[field] *= factor
  }
}

/** Turns ok calls into failures until `share` of the bucket has failed. */
export function injectErrors(calls: SimCall[], share: number): void {
  const wanted = Math.ceil(calls.length * share)
  let failed = calls.filter((c) => c.error).length
  for (const call of calls) {
    if (failed >= wanted) break
    if (call.error) continue
    Object.assign(call, { error: true, inputTokens: 0, outputTokens: 0, costUsd: 0 })
    failed++
  }
}
