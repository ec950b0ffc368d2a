import { describe, expect, test } from 'bun:test'
import type { Compare, Metrics } from '@llmlens/spec'
import { emptyMetrics } from '../testing/spans.ts'
import {
  METRIC_ROWS,
  type MetricRow,
  readTest,
  rowCells,
  scoreRows,
  sideFilters,
  tagOptions,
} from './compare.ts'

function metrics(fields: Partial<Metrics>): Metrics {
  const none = emptyMetrics().latencyMs
  return {
    ...emptyMetrics(),
    count: 100,
    errorCount: 2,
    errorRate: 0.02,
    latencyMs: { ...none, p50: 800 },
    usage: { ...emptyMetrics().usage, inputTokens: 10_000, outputTokens: 2_000 },
    costUsd: 1,
    ...fields,
  }
}

const row = (label: string) => METRIC_ROWS.find((r) => r.label === label) as MetricRow

const latencyTest = {
  a: 800,
  b: 1_000,
  diff: 200,
  ci95: [120, 280],
  pValue: 0.0004,
  method: 'Mann-Whitney U; bootstrap CI of the difference of medians',
  nA: 1_912,
  nB: 2_240,
  significant: true,
  warning: null,
}

const tests = (entries: Record<string, unknown>) => entries as unknown as Compare['tests']

describe('rowCells', () => {
  test('both values and the change from A to B; no test, no verdict', () => {
    const cells = rowCells(
      row('Latency p50'),
      metrics({}),
      metrics({ latencyMs: { p50: 1_000, p95: null, p99: null, mean: null, max: null } }),
      null,
    )
    expect(cells).toEqual({
      a: '800 ms',
      b: '1.00 s',
      change: '+25%',
      ci95: '—',
      pValue: '—',
      significant: false,
      verdict: { text: '—', tone: 'none' },
      method: '',
      samples: '',
      warning: null,
    })
  })

  test('per-call rows divide by the call count', () => {
    const cells = rowCells(row('Cost per call'), metrics({}), metrics({ count: 0 }), null)
    expect(cells.a).toBe('$0.01')
    expect(cells.b).toBe('–')
  })

  test('a test fills the interval, p-value, verdict, method and sample sizes', () => {
    const cells = rowCells(
      row('Latency p50'),
      metrics({}),
      metrics({}),
      tests({ latencyMs: latencyTest }),
    )
    expect(cells).toMatchObject({
      ci95: '120 ms … 280 ms',
      pValue: '< 0.001',
      significant: true,
      verdict: { text: 'B is 25% slower (p < 0.001)', tone: 'worse' },
      method: 'Mann-Whitney U; bootstrap CI of the difference of medians',
      samples: 'n 1,912 / 2,240',
      warning: null,
    })
  })

  test("the server's small-sample warning is kept and the verdict holds back", () => {
    const warning = 'too few values to conclude: a has 76, b has 0; at least 30 each are needed'
    const ttft = { ...latencyTest, b: null, diff: null, ci95: null, pValue: null, warning }
    const cells = rowCells(
      row('Time to first token p50'),
      metrics({}),
      metrics({}),
      tests({ ttftMs: { ...ttft, significant: false, nB: 0 } }),
    )
    expect(cells.verdict).toEqual({ text: 'Too few samples to conclude', tone: 'none' })
    expect(cells.warning).toBe(warning)
    expect(cells.samples).toBe('n 1,912 / 0')
  })

  test('rows without a test key never read one', () => {
    const cells = rowCells(
      row('Calls'),
      metrics({}),
      metrics({}),
      tests({ latencyMs: latencyTest }),
    )
    expect(cells.verdict.text).toBe('—')
  })
})

describe('readTest', () => {
  test('reads only own keys, and an older reply without the flag judges by p alone', () => {
    const reply = JSON.parse('{"__proto__": {"pValue": 0.01}, "errorRate": {"pValue": 0.01}}')
    expect(readTest(reply, 'toString')).toBeNull()
    expect(readTest(reply, '__proto__')?.pValue).toBe(0.01)
    expect(readTest(reply, 'errorRate')).toMatchObject({
      significant: true,
      ci95: null,
      diff: null,
    })
  })
})

describe('scoreRows', () => {
  test('one row per score name of either side, sorted, with the test key of the score', () => {
    const a = metrics({ scores: { helpfulness: { count: 3, mean: 0.7, labels: {} } } })
    const b = metrics({ scores: { accuracy: { count: 2, mean: 0.5, labels: {} } } })
    const rows = scoreRows(a, b)

    expect(rows.map((r) => r.label)).toEqual(['Score: accuracy', 'Score: helpfulness'])
    expect(rows[1]?.testKey).toBe('scores.helpfulness')
    expect(rows[1]?.read(a)).toBe(0.7)
    expect(rows[1]?.read(b)).toBeNull()
  })

  test('a score named __proto__ is a row like any other', () => {
    const a = metrics({
      scores: JSON.parse('{"__proto__": {"count": 1, "mean": 0.25, "labels": {}}}'),
    })
    const rows = scoreRows(a, null)
    expect(rows.map((r) => r.label)).toEqual(['Score: __proto__'])
    expect(rows[0]?.read(a)).toBe(0.25)
  })
})

describe('sides', () => {
  test('a variant side adds the variant tag to the tags already filtered', () => {
    expect(sideFilters({ tag: ['beta'], model: ['x'] }, 'variant', 'b')).toEqual({
      tag: ['beta', 'variant:b'],
      model: ['x'],
    })
    expect(sideFilters({}, 'tag', 'beta')).toEqual({ tag: ['beta'] })
    expect(sideFilters({ model: ['x'] }, 'model', 'y')).toEqual({ model: ['y'] })
  })

  test('variant options are the names after variant:, tags list variants first', () => {
    const tags = ['beta', 'variant:b', 'variant:a', 'variant:', 'alpha', 'variant:a']
    expect(tagOptions(tags, 'variant')).toEqual(['a', 'b'])
    expect(tagOptions(tags, 'tag')).toEqual(['variant:', 'variant:a', 'variant:b', 'alpha', 'beta'])
  })
})
