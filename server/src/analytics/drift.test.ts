import { describe, expect, test } from 'bun:test'
import normal from '@stdlib/random-base-normal'
import type { CallSample } from '../store/types.ts'
import { categoricalDrift, driftFeatures, ksPValue, ksStatistic, numericDrift } from './drift.ts'
import { seededUniform } from './stdlib.ts'

/** Calls shaped like the demo's: log-normal tokens and latency, a few finish reasons, 2% errors. */
function calls(seed: number, n: number, outputTokensMedian = 300): CallSample[] {
  const gaussian = normal.factory(0, 1, { seed })
  const uniform = seededUniform(seed + 1)
  return Array.from({ length: n }, () => {
    const failed = uniform() < 0.02
    const finish = uniform()
    return {
      durationMs: 800 * Math.exp(0.6 * gaussian()),
      ttftMs: 250 * Math.exp(0.4 * gaussian()),
      inputTokens: Math.round(1200 * Math.exp(0.5 * gaussian())),
      outputTokens: Math.round(outputTokensMedian * Math.exp(0.6 * gaussian())),
      costUsd: 0.001,
      errorType: failed ? 'rate_limit' : null,
      finishReason: finish < 0.9 ? 'stop' : finish < 0.97 ? 'length' : 'tool_calls',
    }
  })
}

const noScores = { values: {}, labels: {} }

describe('drift between windows', () => {
  test('identical windows give no flag and a PSI of 0', () => {
    const window = { calls: calls(1, 3000), scores: noScores }
    const features = driftFeatures(window, window)

    expect(features.map((f) => f.feature)).toEqual([
      'inputTokens',
      'outputTokens',
      'latencyMs',
      'ttftMs',
      'finishReason',
      'errorType',
    ])
    for (const feature of features) {
      expect([feature.feature, feature.flagged, feature.psi, feature.level]).toEqual([
        feature.feature,
        false,
        0,
        'stable',
      ])
      expect(feature.test?.pValue).toBe(1)
    }
  })

  test('two samples of the same traffic give no flag', () => {
    const features = driftFeatures(
      { calls: calls(2, 3000), scores: noScores },
      { calls: calls(3, 3000), scores: noScores },
    )
    expect(features.filter((f) => f.flagged)).toEqual([])
    expect(Math.max(...features.map((f) => f.psi ?? 0))).toBeLessThan(0.05)
  })

  test('output tokens shifted by half again are flagged, the rest stays stable', () => {
    const features = driftFeatures(
      { calls: calls(4, 3000), scores: noScores },
      { calls: calls(5, 3000, 450), scores: noScores },
    )
    const output = features.find((f) => f.feature === 'outputTokens')

    expect(features.filter((f) => f.flagged).map((f) => f.feature)).toEqual(['outputTokens'])
    expect(output?.level).toBe('major')
    expect(output?.test?.method).toBe('Kolmogorov-Smirnov (two-sample)')
    expect(output?.test?.pValue).toBeLessThan(1e-10)
    expect(output?.current.p50).toBeGreaterThan((output?.reference.p50 ?? 0) * 1.3)
  })

  test('numeric scores and labels are features of their own', () => {
    const uniform = seededUniform(6)
    const values = (shift: number) => Array.from({ length: 400 }, () => uniform() * 0.5 + shift)
    const features = driftFeatures(
      {
        calls: [],
        scores: { values: { helpfulness: values(0.5) }, labels: { tone: { ok: 300, rude: 10 } } },
      },
      {
        calls: [],
        scores: { values: { helpfulness: values(0.1) }, labels: { tone: { ok: 150, rude: 160 } } },
      },
    )
    expect(features.filter((f) => f.flagged).map((f) => f.feature)).toEqual([
      'scores.helpfulness',
      'scores.tone.label',
    ])
    // With no calls at all, the call features say why they were not judged.
    expect(features[0]?.warning).toBe(
      'too few values to judge drift: reference has 0, current has 0; at least 50 each are needed',
    )
  })
})

describe('the tests behind drift', () => {
  test('KS statistic and p-value agree with the textbook values', () => {
    expect(ksStatistic(Float64Array.from([1, 2, 3, 4]), Float64Array.from([3, 4, 5, 6]))).toBe(0.5)
    // The 5% critical value of the limiting distribution is λ = 1.358.
    const n = 10_000
    const d = 1.358 / (Math.sqrt(n / 2) + 0.12 + 0.11 / Math.sqrt(n / 2))
    expect(ksPValue(d, n, n)).toBeCloseTo(0.05, 3)
    expect(ksPValue(0, n, n)).toBe(1)
  })

  test('a categorical shift is tested by chi-square over the 2×k table', () => {
    const drift = categoricalDrift(
      'finishReason',
      new Map([
        ['stop', 900],
        ['length', 100],
      ]),
      new Map([
        ['stop', 600],
        ['length', 400],
      ]),
    )
    expect(drift.test?.method).toBe('chi-square (2×k)')
    // Pearson's X² of this table is 240 exactly.
    expect(drift.test?.statistic).toBeCloseTo(240, 9)
    expect(drift.flagged).toBe(true)
    expect(drift.current.shares).toEqual({ length: 0.4, stop: 0.6 })
  })

  test('a big PSI from a handful of values is not flagged', () => {
    const drift = numericDrift('latencyMs', [1, 2, 3], [100, 200, 300])
    expect([drift.flagged, drift.psi, drift.warning?.startsWith('too few values')]).toEqual([
      false,
      null,
      true,
    ])
  })
})
