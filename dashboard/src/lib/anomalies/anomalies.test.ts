import { describe, expect, test } from 'bun:test'
import type { Anomaly } from '@llmlens/spec'
import { continuousBaseline, rateBaseline, trimmedBaseline } from './baseline.ts'
import {
  anomalyId,
  describeAnomaly,
  formatMetricValue,
  formatZ,
  keyText,
  metricLabel,
} from './describe.ts'
import { detailSeries, detailWindows, groupFilters, namedCallsParams } from './detail.ts'
import { chartMarks, withArrived } from './marks.ts'
import { anomalyParams, anomalyStepMs, liveAnomalyFits } from './query.ts'

const MINUTE_MS = 60_000

function anomaly(fields: Partial<Anomaly> = {}): Anomaly {
  return {
    metric: 'latencyP95Ms',
    kind: 'bucket',
    key: { model: 'gpt-4o-mini' },
    time: 10 * MINUTE_MS,
    value: 12_080,
    expected: 3_737,
    zScore: 4.23,
    severity: 'critical',
    method: 'robust',
    count: 15,
    sustainedBuckets: 1,
    spanIds: ['241ba6c84c300611'],
    ...fields,
  }
}

describe('describing an anomaly', () => {
  test('a bucket: the metric, the group, the value against the expected, and z', () => {
    expect(describeAnomaly(anomaly())).toBe(
      'Latency p95 of gpt-4o-mini was 12.1 s, expected 3.74 s (z +4.2)',
    )
    const rate = anomaly({ metric: 'errorRate', value: 0.3, expected: 0.014, zScore: 5.06 })
    expect(describeAnomaly(rate)).toBe('Error rate of gpt-4o-mini was 30%, expected 1.4% (z +5.1)')
  })

  test('a sustained shift says over how many buckets', () => {
    const shift = anomaly({
      metric: 'costPerCallUsd',
      value: 0.004,
      expected: 0.0027,
      sustainedBuckets: 3,
    })
    expect(describeAnomaly(shift)).toBe(
      'Cost per call of gpt-4o-mini was $0.0040, expected $0.0027 (z +4.2, sustained over 3 buckets)',
    )
  })

  test('a single call: its duration against the norm', () => {
    const call = anomaly({
      kind: 'span',
      metric: 'spanLatencyMs',
      value: 200_000,
      expected: 2_153,
      zScore: 7.92,
    })
    expect(describeAnomaly(call)).toBe(
      'A call to gpt-4o-mini took 3.3 min, against a norm of 2.15 s (z +7.9)',
    )
  })

  test('groups of several dimensions, nulls and odd names read as text', () => {
    expect(keyText({ model: 'a', endpoint: null })).toBe('model a · endpoint (none)')
    expect(keyText({})).toBe('all calls')
    expect(keyText({ model: null })).toBe('(none)')
    const odd = JSON.parse('{"__proto__": "<script>x</script>"}')
    expect(keyText(odd)).toBe('<script>x</script>')
  })

  test('units per metric; an unknown metric shows under its own name', () => {
    expect(formatMetricValue('inputTokens', 1_711.7)).toBe('1,712')
    expect(formatMetricValue('newMetric', 0.123456)).toBe('0.1235')
    expect(metricLabel('newMetric')).toBe('newMetric')
    expect(metricLabel('toString')).toBe('toString')
    expect(formatZ(-4.016)).toBe('−4.0')
  })

  test('ids are stable per bucket, metric, group and call', () => {
    expect(anomalyId(anomaly())).toBe(anomalyId(anomaly({ value: 1, zScore: 9 })))
    expect(anomalyId(anomaly())).not.toBe(anomalyId(anomaly({ metric: 'latencyMs' })))
    expect(anomalyId(anomaly())).not.toBe(anomalyId(anomaly({ key: { model: 'gpt-4o' } })))
    const call = (spanId: string) =>
      anomaly({ kind: 'span', metric: 'spanLatencyMs', spanIds: [spanId] })
    expect(anomalyId(call('a'))).not.toBe(anomalyId(call('b')))
  })
})

describe('querying anomalies', () => {
  test('one-minute buckets while the server allows them, coarser beyond', () => {
    const hours = (h: number) => ({ fromMs: 0, toMs: h * 3_600_000 })
    expect(anomalyStepMs(hours(6))).toBe(MINUTE_MS)
    expect(anomalyStepMs(hours(24 * 6))).toBe(MINUTE_MS)
    expect(anomalyStepMs(hours(24 * 7))).toBe(5 * MINUTE_MS)
    expect(anomalyStepMs(hours(24 * 30))).toBe(5 * MINUTE_MS)
    expect(anomalyStepMs(hours(24 * 365))).toBe(60 * MINUTE_MS)
  })

  test('parameters carry the view, the step and the options', () => {
    const params = anomalyParams(
      { model: ['a'] },
      { fromMs: 0, toMs: 3_600_000, stepMs: 30_000 },
      { severity: 'critical', metrics: ['errorRate', 'latencyMs'], spans: false },
    )
    expect(params.toString()).toBe(
      'from=0&to=3600000&model=a&stepMs=60000&severity=critical&metric=errorRate&metric=latencyMs&spans=false',
    )
  })

  test('a live anomaly fits a view filtered by model alone', () => {
    const kinds = { kind: ['llm', 'embedding'] }
    expect(liveAnomalyFits(anomaly(), kinds)).toBe('yes')
    expect(liveAnomalyFits(anomaly(), { ...kinds, model: ['gpt-4o-mini'] })).toBe('yes')
    expect(liveAnomalyFits(anomaly(), { model: ['gpt-4o'] })).toBe('no')
    expect(liveAnomalyFits(anomaly(), { endpoint: ['/chat'] })).toBe('unknown')
    expect(liveAnomalyFits(anomaly(), { kind: ['agent'] })).toBe('unknown')
  })
})

describe('chart marks', () => {
  const window = { fromMs: 0, stepMs: 3 * MINUTE_MS }
  const href = (a: Anomaly) => `/anomalies?id=${encodeURIComponent(anomalyId(a))}`
  const at = (ms: number) => `t${ms / MINUTE_MS}`

  test('one mark per chart bucket, showing its worst anomaly and counting the rest', () => {
    const marks = chartMarks(
      [
        anomaly({ time: 1 * MINUTE_MS, severity: 'warning', zScore: 2.5 }),
        anomaly({ time: 2 * MINUTE_MS, severity: 'critical', zScore: -4.1, metric: 'latencyMs' }),
        anomaly({ time: 7 * MINUTE_MS, severity: 'warning', zScore: 3 }),
        anomaly({ time: 8 * MINUTE_MS, metric: 'costPerCallUsd' }),
      ],
      ['latencyMs', 'latencyP95Ms'],
      window,
      href,
      at,
    )

    expect(marks.map(({ timeMs, severity, count }) => ({ timeMs, severity, count }))).toEqual([
      { timeMs: 2 * MINUTE_MS, severity: 'critical', count: 2 },
      { timeMs: 7 * MINUTE_MS, severity: 'warning', count: 1 },
    ])
    expect(marks[0]?.text).toBe(
      'Critical at t2: Mean latency of gpt-4o-mini was 12.1 s, expected 3.74 s (z −4.1); 1 more in this bucket',
    )
    expect(marks[0]?.href).toContain(encodeURIComponent('bucket:latencyMs:120000'))
  })

  test('anomalies before the window are left out', () => {
    expect(chartMarks([anomaly({ time: -1 })], ['latencyP95Ms'], window, href, at)).toEqual([])
  })

  test('a live anomaly replaces the one read for the same bucket and adds the rest in time order', () => {
    const read = [
      anomaly({ time: 0 }),
      anomaly({ time: MINUTE_MS, zScore: 2.1, severity: 'warning' }),
    ]
    const arrived = [
      anomaly({ time: MINUTE_MS, zScore: 5 }),
      anomaly({ time: 30_000, metric: 'errorRate' }),
    ]
    const merged = withArrived(read, arrived, anomalyId)

    expect(merged.map((a) => [a.time, a.metric, a.zScore])).toEqual([
      [0, 'latencyP95Ms', 4.23],
      [30_000, 'errorRate', 4.23],
      [MINUTE_MS, 'latencyP95Ms', 5],
    ])
  })
})

describe('baselines', () => {
  // A calm series alternating between 90 and 110, then a spike.
  const calm = Array.from({ length: 40 }, (_, i) => ({ value: i % 2 === 0 ? 90 : 110, calls: 20 }))

  test('no baseline until 20 buckets of history; then the centre sits in the calm range', () => {
    const band = continuousBaseline([...calm, { value: 1_000, calls: 20 }], 'zscore')

    expect(band.center.slice(0, 20)).toEqual(Array(20).fill(null))
    const center = band.center[40] as number
    // The geometric mean of 90 and 110, which the mean of their logarithms is.
    expect(center).toBeCloseTo(Math.sqrt(90 * 110), 6)
    expect(band.low[40] as number).toBeLessThan(90)
    expect(band.high[40] as number).toBeGreaterThan(110)
    expect(band.high[40] as number).toBeLessThan(1_000)
  })

  test('the robust baseline is barely moved by an earlier spike; the plain one is moved more', () => {
    const spiked = [...calm.slice(0, 30), { value: 5_000, calls: 20 }, ...calm.slice(30)]
    const robust = continuousBaseline(spiked, 'robust')
    const plain = continuousBaseline(spiked, 'zscore')
    const last = spiked.length - 1

    expect(robust.center[last] as number).toBeCloseTo(Math.sqrt(90 * 110), 0)
    expect(plain.center[last] as number).toBeGreaterThan(robust.center[last] as number)
    expect((plain.high[last] as number) / (robust.high[last] as number)).toBeGreaterThan(1.5)
  })

  test('buckets with too few calls are no history', () => {
    const thin = calm.map((b) => ({ ...b, calls: 4 }))
    expect(continuousBaseline(thin, 'robust').center.every((c) => c === null)).toBe(true)
  })

  test('a flat series still has a band, of at least 1% on the log scale times the bar', () => {
    const flat = Array.from({ length: 30 }, () => ({ value: 100, calls: 10 }))
    const band = continuousBaseline(flat, 'robust')
    expect(band.center[29]).toBeCloseTo(100, 9)
    expect(band.high[29] as number).toBeCloseTo(100 * Math.exp(0.02), 9)
  })

  test('trimming drops values far from the median before taking the mean', () => {
    expect(trimmedBaseline([1, 1.1, 0.9, 1, 50]).center).toBeCloseTo(1, 9)
  })

  test('an error rate pools the trailing calls, with half an error added', () => {
    const buckets = Array.from({ length: 25 }, () => ({ count: 10, errorCount: 1 }))
    const band = rateBaseline([...buckets, { count: 40, errorCount: 12 }])
    // Bucket 25 has the 25 buckets before it: 250 calls, 25 errors.
    const expected = (25 + 0.5) / (250 + 1)

    expect(band.center[20]).toBeCloseTo((20 + 0.5) / 201, 9)
    expect(band.center[25]).toBeCloseTo(expected, 9)
    expect(band.high[25]).toBeCloseTo(expected + 2 * Math.sqrt((expected * (1 - expected)) / 40), 9)
    expect(band.center.slice(0, 20)).toEqual(Array(20).fill(null))
  })
})

describe('the detail view', () => {
  const step = MINUTE_MS
  const bucket = 300 * step

  test('shows 90 buckets before and 30 after, and reads 120 more for the baseline', () => {
    const windows = detailWindows(anomaly({ time: bucket + 1_234 }), step, bucket + 1_000 * step)
    expect(windows.shown).toEqual({
      fromMs: bucket - 90 * step,
      toMs: bucket + 31 * step,
      stepMs: step,
    })
    expect(windows.read.fromMs).toBe(bucket - 210 * step)
    expect(windows.read.toMs).toBe(windows.shown.toMs)
  })

  test('never reaches past now, and always shows the anomalous bucket', () => {
    const windows = detailWindows(anomaly({ time: bucket }), step, bucket + 10)
    expect(windows.shown.toMs).toBe(bucket + step)
  })

  test("the group's filter narrows the view's to each key value", () => {
    expect(groupFilters({ model: ['x'], tag: ['beta'] }, { model: 'gpt-4o' })).toEqual({
      model: ['gpt-4o'],
      tag: ['beta'],
    })
    expect(groupFilters({}, { model: null })).toBeNull()
    expect(groupFilters({}, JSON.parse('{"__proto__": "x"}'))).toBeNull()
  })

  test('the series of the metric with its recomputed baseline, cut to the shown window', () => {
    const windows = detailWindows(
      anomaly({ time: bucket, metric: 'latencyMs' }),
      step,
      bucket + 2 * step,
    )
    const points = Array.from({ length: 211 }, (_, i) =>
      point(windows.read.fromMs + i * step, i === 210 ? 900 : 100),
    )
    const detail = detailSeries(
      anomaly({ time: bucket, metric: 'latencyMs', method: 'robust' }),
      points,
      windows,
    )

    expect(detail?.times.length).toBe(92)
    expect(detail?.times[0]).toBe(windows.shown.fromMs)
    expect(detail?.values[90]).toBe(900)
    expect(detail?.values[89]).toBe(100)
    expect(detail?.baseline.center[90]).toBeCloseTo(100, 9)
    expect(detail?.expectedAtAnomaly).toBeCloseTo(100, 9)
  })

  test('a single call is shown against its flat norm', () => {
    const windows = detailWindows(anomaly({ time: bucket }), step, bucket + step)
    const call = anomaly({
      kind: 'span',
      metric: 'spanLatencyMs',
      time: bucket + 5,
      expected: 2_000,
    })
    const detail = detailSeries(call, [point(bucket, 40_000)], windows)
    expect(detail?.baseline.center.every((c) => c === 2_000)).toBe(true)
    expect(detail?.values[90]).toBe(40_000)
    expect(detail?.label).toBe('slowest call per bucket')
  })

  test('an unknown metric has no detail series', () => {
    const windows = detailWindows(anomaly(), step, bucket)
    expect(detailSeries(anomaly({ metric: 'somethingNew' }), [], windows)).toBeNull()
  })
})

function point(time: number, latencyMs: number) {
  const latency = {
    p50: latencyMs,
    p95: latencyMs,
    p99: latencyMs,
    mean: latencyMs,
    max: latencyMs,
  }
  return {
    time,
    count: 10,
    errorCount: 0,
    errorRate: 0,
    latencyMs: latency,
    ttftMs: latency,
    usage: {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    costUsd: 0,
  }
}

describe('the calls an anomaly names', () => {
  test("a bucket's calls in its group, slowest first; failed ones for an error rate", () => {
    const params = namedCallsParams(anomaly({ time: 125_000 }), { kind: ['llm'] }, MINUTE_MS)
    expect(params?.toString()).toBe(
      'from=120000&to=180000&model=gpt-4o-mini&kind=llm&sort=durationMs&order=desc&limit=100',
    )
    const errors = namedCallsParams(anomaly({ metric: 'errorRate', time: 0 }), {}, MINUTE_MS)
    expect(errors?.getAll('status')).toEqual(['error'])
  })

  test('a single call: the millisecond it started in', () => {
    const call = anomaly({ kind: 'span', metric: 'spanLatencyMs', time: 1_000.6 })
    const params = namedCallsParams(call, {}, MINUTE_MS)
    expect([params?.get('from'), params?.get('to')]).toEqual(['1000', '1001'])
  })
})
