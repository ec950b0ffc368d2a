import type { Compare, Metrics, TestResultReply } from '@llmlens/spec'
import {
  changeOf,
  formatCount,
  formatMs,
  formatPercent,
  formatScore,
  formatUsd,
} from '../format/numbers.ts'
import { ownValue } from '../safe/entries.ts'
import type { Filters } from '../state/view-query.ts'
import {
  COST_WORDING,
  ERROR_RATE_WORDING,
  formatPValue,
  LATENCY_WORDING,
  scoreWording,
  TTFT_WORDING,
  tokenWording,
  type Verdict,
  verdictOf,
  type Wording,
} from './verdict.ts'

/**
 * What two sides can differ in: a model, a release, an A/B variant (the tag `variant:x`) or any
 * tag. The names are GET /api/v1/compare's `dimension` values.
 */
export const COMPARE_DIMENSIONS = ['model', 'release', 'variant', 'tag'] as const
export type CompareDimension = (typeof COMPARE_DIMENSIONS)[number]

export const DIMENSION_LABELS: Record<CompareDimension, string> = {
  model: 'model',
  release: 'release',
  variant: 'variant (A/B test)',
  tag: 'tag',
}

export function isCompareDimension(value: string | null): value is CompareDimension {
  return COMPARE_DIMENSIONS.some((dimension) => dimension === value)
}

const VARIANT_PREFIX = 'variant:'

/** The filter of one side: the view's filter narrowed to the side's value, as the server does. */
export function sideFilters(filters: Filters, dimension: CompareDimension, value: string): Filters {
  if (dimension === 'tag' || dimension === 'variant') {
    const tag = dimension === 'variant' ? `${VARIANT_PREFIX}${value}` : value
    return { ...filters, tag: [...(filters.tag ?? []), tag] }
  }
  return { ...filters, [dimension]: [value] }
}

/** The values a side may take, from the tags seen: variant names, or tags with variants first. */
export function tagOptions(tags: readonly string[], dimension: 'tag' | 'variant'): string[] {
  const unique = [...new Set(tags)]
  if (dimension === 'variant') {
    return unique
      .filter((tag) => tag.startsWith(VARIANT_PREFIX) && tag.length > VARIANT_PREFIX.length)
      .map((tag) => tag.slice(VARIANT_PREFIX.length))
      .sort((x, y) => x.localeCompare(y))
  }
  const isVariant = (tag: string) => Number(tag.startsWith(VARIANT_PREFIX))
  return unique.sort((x, y) => isVariant(y) - isVariant(x) || x.localeCompare(y))
}

/** One row of the side-by-side table; `testKey` names its test in GET /api/v1/compare. */
export interface MetricRow {
  label: string
  testKey: string | null
  read: (metrics: Metrics) => number | null
  format: (value: number) => string
  wording: Wording | null
}

const perCall = (total: number, count: number) => (count === 0 ? null : total / count)

export const METRIC_ROWS: MetricRow[] = [
  { label: 'Calls', testKey: null, read: (m) => m.count, format: formatCount, wording: null },
  {
    label: 'Error rate',
    testKey: 'errorRate',
    read: (m) => m.errorRate,
    format: formatPercent,
    wording: ERROR_RATE_WORDING,
  },
  {
    label: 'Latency p50',
    testKey: 'latencyMs',
    read: (m) => m.latencyMs.p50,
    format: formatMs,
    wording: LATENCY_WORDING,
  },
  {
    label: 'Latency p95',
    testKey: null,
    read: (m) => m.latencyMs.p95,
    format: formatMs,
    wording: null,
  },
  {
    label: 'Latency p99',
    testKey: null,
    read: (m) => m.latencyMs.p99,
    format: formatMs,
    wording: null,
  },
  {
    label: 'Time to first token p50',
    testKey: 'ttftMs',
    read: (m) => m.ttftMs.p50,
    format: formatMs,
    wording: TTFT_WORDING,
  },
  {
    label: 'Input tokens per call',
    testKey: 'inputTokens',
    read: (m) => perCall(m.usage.inputTokens, m.count),
    format: formatCount,
    wording: tokenWording('input'),
  },
  {
    label: 'Output tokens per call',
    testKey: 'outputTokens',
    read: (m) => perCall(m.usage.outputTokens, m.count),
    format: formatCount,
    wording: tokenWording('output'),
  },
  {
    label: 'Cost per call',
    testKey: 'costPerCallUsd',
    read: (m) => perCall(m.costUsd, m.count),
    format: formatUsd,
    wording: COST_WORDING,
  },
]

/** A row per score name the two sides have, after the fixed rows. */
export function scoreRows(a: Metrics | null, b: Metrics | null): MetricRow[] {
  const names = [...new Set([...Object.keys(a?.scores ?? {}), ...Object.keys(b?.scores ?? {})])]
  return names.sort().map((name) => ({
    label: `Score: ${name}`,
    testKey: `scores.${name}`,
    read: (m) => {
      const score = ownValue(m.scores, name) as Metrics['scores'][string] | undefined
      return score?.mean ?? null
    },
    format: formatScore,
    wording: scoreWording(name),
  }))
}

const finite = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null

/** A test of the reply, checked field by field: the reply's keys include score names (data). */
export function readTest(tests: Compare['tests'] | null, key: string | null) {
  if (tests === null || key === null) return null
  const value = ownValue(tests, key)
  if (typeof value !== 'object' || value === null) return null
  const t = value as Record<string, unknown>
  const [low, high] = Array.isArray(t.ci95) ? t.ci95.map(finite) : []
  const pValue = finite(t.pValue)
  const warning = typeof t.warning === 'string' ? t.warning : null
  const test: TestResultReply = {
    a: finite(t.a),
    b: finite(t.b),
    diff: finite(t.diff),
    ci95: typeof low === 'number' && typeof high === 'number' ? [low, high] : null,
    pValue,
    method: typeof t.method === 'string' ? t.method : '',
    nA: finite(t.nA) ?? 0,
    nB: finite(t.nB) ?? 0,
    // An older reply without the flag: p < 0.05 and nothing said against the samples.
    significant:
      typeof t.significant === 'boolean'
        ? t.significant
        : pValue !== null && pValue < 0.05 && warning === null,
    warning,
  }
  return test
}

/** The cells of one row: both values, the change from A to B, and what the test says. */
export interface RowCells {
  a: string
  b: string
  change: string
  ci95: string
  pValue: string
  /** Whether the test says the difference is unlikely to be chance, with samples to say so. */
  significant: boolean
  verdict: Verdict
  method: string
  /** The sample sizes the test used, "n 1,912 / 2,240". */
  samples: string
  /** The server's reason the samples are too small to conclude, when it gave one. */
  warning: string | null
}

const NO_TEST = '—'
const NO_VERDICT: Verdict = { text: NO_TEST, tone: 'none' }

/**
 * The cells of `row`. `tests` is the reply's `tests`, or null when the server gave none: then
 * the interval, p-value and verdict cells show a dash and the layout stays as it is.
 */
export function rowCells(
  row: MetricRow,
  a: Metrics,
  b: Metrics,
  tests: Compare['tests'] | null,
): RowCells {
  const valueA = row.read(a)
  const valueB = row.read(b)
  const show = (value: number | null) => (value === null ? '–' : row.format(value))
  const test = readTest(tests, row.testKey)
  const [low, high] = test?.ci95 ?? []
  const verdict =
    test !== null && row.wording !== null ? verdictOf(test, row.wording, row.format) : NO_VERDICT
  return {
    a: show(valueA),
    b: show(valueB),
    change: changeOf(valueB, valueA).text,
    ci95:
      low === undefined || high === undefined
        ? NO_TEST
        : `${row.format(low)} … ${row.format(high)}`,
    pValue: test?.pValue === null || test === null ? NO_TEST : formatPValue(test.pValue),
    significant: test?.significant ?? false,
    verdict,
    method: test?.method ?? '',
    samples: test === null ? '' : `n ${formatCount(test.nA)} / ${formatCount(test.nB)}`,
    warning: test?.warning ?? null,
  }
}
