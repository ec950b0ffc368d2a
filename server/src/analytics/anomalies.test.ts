import { describe, expect, test } from 'bun:test'
import {
  aggregate,
  CALM,
  calmBuckets,
  calmSpread,
  injectErrors,
  injectSpike,
  Simulator,
  SPIKE_FIELDS,
  type SpikeMetric,
  SYNTHETIC_START_MS,
} from '../testing/synthetic.ts'
import {
  ANOMALY_DEFAULTS,
  ANOMALY_METRICS,
  type BucketAggregate,
  detectBucketAnomalies,
} from './anomalies.ts'
import { flagSlowCalls, latencyNorm } from './span-outliers.ts'

const MINUTE_MS = 60_000
const DAY_MINUTES = 1440
const SPIKE_METRICS = Object.keys(SPIKE_FIELDS) as SpikeMetric[]

const aggregates = (buckets: ReturnType<typeof calmBuckets>) =>
  buckets.map((b) => aggregate(b.time, b.calls))

const detect = (points: BucketAggregate[], fromIndex = 0) =>
  detectBucketAnomalies(points, MINUTE_MS, (points[fromIndex] as BucketAggregate).time)

describe('calm traffic', () => {
  // Three days of one model at 30 calls a minute, swinging ±30% over each day: 77,000 bucket and
  // metric evaluations, every one of them a true negative.
  const series = [101, 102, 103].map((seed) => aggregates(calmBuckets(seed, 3 * DAY_MINUTES)))
  const detections = series.map((points) => detect(points))
  const evaluations = detections.reduce((n, d) => n + d.evaluations, 0)
  const count = (severity: string) =>
    detections.reduce((n, d) => n + d.anomalies.filter((a) => a.severity === severity).length, 0)

  test('every metric of nearly every bucket is judged', () => {
    const buckets = series.reduce((n, points) => n + points.length, 0)
    // All but the first 20 minutes of each series, which are baseline only.
    expect(evaluations).toBeGreaterThan(0.98 * buckets * ANOMALY_METRICS.length)
  })

  test('at most 1 critical per 1,000 bucket evaluations', () => {
    expect(count('critical') / evaluations).toBeLessThanOrEqual(0.001)
  })

  test('warnings come at about their statistical rate, |z| ≥ 2 being ~4.6% of normal draws', () => {
    const rate = count('warning') / evaluations
    expect(rate).toBeGreaterThan(0.02)
    expect(rate).toBeLessThan(0.07)
  })
})

describe('injected spikes', () => {
  /**
   * Every 41st minute of three days, one metric of the bucket is set exactly k calm σ above its
   * local level, k spread evenly over 2σ–6σ; the metric cycles through latency mean and p95,
   * cost per call, and input and output tokens per call.
   */
  function spiked(seed: number) {
    const buckets = calmBuckets(seed, DAY_MINUTES)
    const spreads = new Map(SPIKE_METRICS.map((m) => [m, calmSpread(m, buckets)]))
    const labels: { index: number; metric: SpikeMetric; sigmas: number }[] = []
    for (let index = 150, n = 0; index < buckets.length; index += 41, n++) {
      const metric = SPIKE_METRICS[n % SPIKE_METRICS.length] as SpikeMetric
      // The golden-ratio sequence covers [0, 1) evenly without repeating a pattern.
      const sigmas = 2 + ((n * 0.618034) % 1) * 4
      const spread = spreads.get(metric) as ReturnType<typeof calmSpread>
      const bucket = buckets[index] as (typeof buckets)[number]
      injectSpike(metric, bucket.calls, spread.levelAt(index) + sigmas * spread.sigma)
      labels.push({ index, metric, sigmas })
    }
    return { points: aggregates(buckets), labels }
  }

  test('recall ≥ 0.95 over spikes of 2σ to 6σ', () => {
    let found = 0
    let total = 0
    for (const seed of [201, 202, 203]) {
      const { points, labels } = spiked(seed)
      const { anomalies } = detect(points)
      for (const label of labels) {
        total++
        const time = (points[label.index] as BucketAggregate).time
        if (anomalies.some((a) => a.metric === label.metric && a.time === time)) found++
      }
    }
    expect(total).toBeGreaterThan(90)
    expect(found / total).toBeGreaterThanOrEqual(0.95)
  })

  test('a spike of 5σ or more is critical, in the direction it went', () => {
    const { points, labels } = spiked(204)
    const { anomalies } = detect(points)
    const big = labels.filter((label) => label.sigmas >= 5)
    expect(big.length).toBeGreaterThan(5)
    for (const label of big) {
      const time = (points[label.index] as BucketAggregate).time
      const anomaly = anomalies.find((a) => a.metric === label.metric && a.time === time)
      expect([label.metric, anomaly?.severity, (anomaly?.zScore ?? 0) > 0]).toEqual([
        label.metric,
        'critical',
        true,
      ])
    }
  })

  test('an error burst is flagged in every bucket of it', () => {
    const buckets = calmBuckets(301, 600)
    const burst = [400, 401, 402]
    for (const index of burst) injectErrors((buckets[index] as (typeof buckets)[number]).calls, 0.2)
    const points = aggregates(buckets)
    const { anomalies } = detectBucketAnomalies(points, MINUTE_MS, points[300]?.time ?? 0)

    const flagged = anomalies.filter((a) => a.metric === 'errorRate')
    expect(flagged.map((a) => a.time)).toEqual(
      expect.arrayContaining(burst.map((i) => (points[i] as BucketAggregate).time)),
    )
    expect(flagged.filter((a) => a.severity === 'critical').length).toBeGreaterThanOrEqual(2)
    expect(flagged.every((a) => a.method === 'binomial' && a.expected < 0.05)).toBe(true)
  })
})

describe('steps', () => {
  /** 300 calm minutes, then latency rises by k calm σ and stays there. */
  function stepped(seed: number, sigmas: number) {
    const buckets = calmBuckets(seed, 400)
    const { sigma } = calmSpread('latencyMs', buckets.slice(0, 300))
    for (const bucket of buckets.slice(300)) {
      for (const call of bucket.calls) call.durationMs *= Math.exp(sigmas * sigma)
    }
    return aggregates(buckets)
  }

  test('a step of 4σ or more is critical within 2 one-minute buckets', () => {
    const lags: number[] = []
    for (let trial = 0; trial < 40; trial++) {
      const points = stepped(1000 + trial, 4 + (trial % 5) * 0.5)
      const { anomalies } = detectBucketAnomalies(
        points,
        MINUTE_MS,
        (points[300] as BucketAggregate).time,
        ANOMALY_DEFAULTS,
        ['latencyMs'],
      )
      const first = anomalies.find((a) => a.severity === 'critical')
      lags.push(
        first === undefined
          ? Number.POSITIVE_INFINITY
          : (first.time - (points[300] as BucketAggregate).time) / MINUTE_MS,
      )
    }
    expect(lags.filter((lag) => lag <= 1)).toHaveLength(40)
  })

  test('a shift too small for one bucket is critical once sustained', () => {
    // 3σ: one bucket alone is a warning half the time; two or three in a row combine past 4σ.
    const firsts = Array.from({ length: 20 }, (_, trial) => {
      const points = stepped(1100 + trial, 3)
      const stepMs = (points[300] as BucketAggregate).time
      const { anomalies } = detectBucketAnomalies(points, MINUTE_MS, stepMs, ANOMALY_DEFAULTS, [
        'latencyMs',
      ])
      const first = anomalies.find((a) => a.severity === 'critical')
      return { lag: first === undefined ? 99 : (first.time - stepMs) / MINUTE_MS, first }
    })
    expect(firsts.filter((f) => f.lag <= 2).length).toBeGreaterThanOrEqual(16)
    expect(firsts.filter((f) => (f.first?.sustainedBuckets ?? 1) > 1).length).toBeGreaterThan(10)
  })
})

describe('minimum sample sizes', () => {
  test('buckets with too few calls, or too little baseline, are not judged', () => {
    const quiet = { ...CALM, callsPerMinute: 2 }
    const points = aggregates(calmBuckets(401, 300, quiet))
    const judged = detect(points)
    const busy = detect(aggregates(calmBuckets(401, 300)))

    expect(judged.evaluations).toBeLessThan(busy.evaluations / 5)
    // The first 20 buckets of any series have no baseline to speak of.
    expect(busy.anomalies.every((a) => a.time >= SYNTHETIC_START_MS + 20 * MINUTE_MS)).toBe(true)
  })

  test('a flat series divides by no zero', () => {
    const flat: BucketAggregate[] = Array.from({ length: 200 }, (_, i) => ({
      time: SYNTHETIC_START_MS + i * MINUTE_MS,
      count: 50,
      errorCount: 0,
      latencyMeanMs: 500,
      latencyP95Ms: 900,
      costUsd: 0.5,
      inputTokens: 5000,
      outputTokens: 1000,
    }))
    ;(flat[150] as BucketAggregate).latencyMeanMs = 1000
    const { anomalies } = detect(flat)

    expect(anomalies.map((a) => [a.metric, a.time, a.severity])).toEqual([
      ['latencyMs', SYNTHETIC_START_MS + 150 * MINUTE_MS, 'critical'],
    ])
    expect(Number.isFinite(anomalies[0]?.zScore)).toBe(true)
  })
})

describe('single slow calls', () => {
  test('one call 10× slower than its model’s norm is flagged, and only that one', () => {
    const simulator = new Simulator(501)
    const calls = Array.from({ length: 5000 }, (_, i) => ({
      traceId: 'a'.repeat(32),
      spanId: i.toString(16).padStart(16, '0'),
      startMs: SYNTHETIC_START_MS + i * 1000,
      durationMs: simulator.call(800, { ...CALM, latencySigma: 0.45 }).durationMs,
    }))
    const slow = calls[2500] as (typeof calls)[number]
    slow.durationMs = 8000
    const norm = latencyNorm(calls.map((c) => c.durationMs))

    expect(norm?.medianMs).toBeCloseTo(800, -2)
    const flagged = flagSlowCalls(calls, norm as NonNullable<typeof norm>)
    expect(flagged.map((f) => f.spanId)).toEqual([slow.spanId])
    expect(flagged[0]?.zScore).toBeGreaterThan(4)
  })

  test('a model with too few calls has no norm yet', () => {
    expect(latencyNorm([100, 120, 90])).toBeNull()
  })
})

describe('single slow calls of a loose model', () => {
  test('10× the median is flagged even where 4σ would be further out', () => {
    const simulator = new Simulator(502)
    // σ 0.7: 4σ is 16× the median, yet a call at 10× is worth a look.
    const durations = Array.from(
      { length: 5000 },
      () => simulator.call(800, { ...CALM, latencySigma: 0.7 }).durationMs,
    )
    const norm = latencyNorm(durations)
    expect(norm?.thresholdMs).toBeCloseTo(10 * (norm?.medianMs ?? 0), 6)
  })
})
