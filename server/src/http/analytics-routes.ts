import { AnomaliesSchema, CompareSchema, DriftSchema } from '@llmlens/spec'
import type { Hono } from 'hono'
import { ANOMALY_METRICS, type AnomalyMetric, type Severity } from '../analytics/anomalies.ts'
import { compareArms } from '../analytics/compare.ts'
import { DRIFT_DEFAULTS, driftFeatures } from '../analytics/drift.ts'
import { ANOMALY_QUERY_DEFAULTS, callFilter, evaluateAnomalies } from '../analytics/evaluate.ts'
import {
  GROUP_DIMENSIONS,
  type GroupDimension,
  type SpanFilter,
  type Store,
} from '../store/types.ts'
import { HttpError } from './errors.ts'
import { FILTER_PARAMS, GROUP_BY_PARAM, type ParamSpecs, parseQuery, toFilter } from './params.ts'
import type { RouteDoc } from './route-docs.ts'

/** The read filters, with the default that statistics compare LLM calls, not agents or tools. */
const ANALYTICS_FILTER_PARAMS = {
  ...FILTER_PARAMS,
  kind: { type: 'list', description: 'Only these span kinds (default: llm, embedding)' },
} as const satisfies ParamSpecs

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000
// As for time series: 10,000 buckets per group is far past any chart, and bounds the work.
const BUCKETS_MAX = 10_000

const zParam = (description: string) => ({ type: 'string', maxLength: 16, description }) as const

const ANOMALIES_PARAMS = {
  ...ANALYTICS_FILTER_PARAMS,
  ...GROUP_BY_PARAM,
  stepMs: {
    type: 'int',
    min: 10_000,
    max: DAY_MS,
    default: MINUTE_MS,
    description: 'Bucket width in ms; the baseline is the 120 buckets before each one',
  },
  metric: {
    type: 'list',
    values: ANOMALY_METRICS,
    description: 'Only these metrics (default: all)',
  },
  severity: {
    type: 'enum',
    values: ['warning', 'critical'],
    default: 'warning',
    description: 'The least severity listed',
  },
  method: {
    type: 'enum',
    values: ['auto', 'robust', 'zscore'],
    default: 'auto',
    description:
      'Baseline: robust (median/MAD-trimmed) for latency and z-score for the rest, or one for all',
  },
  spans: {
    type: 'bool',
    default: true,
    description: 'Also flag single calls far outside their group',
  },
  warningZ: zParam('|z| at or past which a bucket is a warning (default 2)'),
  criticalZ: zParam('|z| at or past which a bucket is critical (default 4)'),
} as const satisfies ParamSpecs

const COMPARE_DIMENSIONS = [...GROUP_DIMENSIONS, 'tag', 'variant'] as const

const COMPARE_PARAMS = {
  ...ANALYTICS_FILTER_PARAMS,
  dimension: {
    type: 'enum',
    values: COMPARE_DIMENSIONS,
    default: 'model',
    description: 'What a and b are values of; variant=x means the tag variant:x',
  },
  a: { type: 'string', maxLength: 256, description: 'The baseline arm: a value of dimension' },
  b: { type: 'string', maxLength: 256, description: 'The arm compared with a' },
} as const satisfies ParamSpecs

const DRIFT_PARAMS = {
  ...ANALYTICS_FILTER_PARAMS,
  referenceFrom: {
    type: 'time',
    description: 'Reference window start (default: as long before from as the current window)',
  },
  referenceTo: { type: 'time', description: 'Reference window end, exclusive (default: from)' },
} as const satisfies ParamSpecs

// Per arm or window: 10,000 values put a median's bootstrap within a percent, and 50,000 a
// decile bin's share within ±0.3 points, at a few tens of milliseconds each.
const COMPARE_SAMPLE_MAX = 10_000
const DRIFT_SAMPLE_MAX = 50_000
const SAMPLE_SEED = 20_260_101

export const ANALYTICS_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/anomalies',
    summary:
      'Anomalous buckets (latency, p95, cost, errors, tokens) and single slow calls, per group, judged on demand',
    params: ANOMALIES_PARAMS,
    response: AnomaliesSchema,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/compare',
    summary:
      'Two values of a dimension side by side, with difference, 95% CI and p-value per metric',
    params: COMPARE_PARAMS,
    response: CompareSchema,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/drift',
    summary:
      'Distributions of a window against a reference window: PSI and a KS or chi-square test',
    params: DRIFT_PARAMS,
    response: DriftSchema,
    errors: [400, 401],
  },
]

/** A z bar given as text: a number from 0 to 38, or the default when absent. */
function zBar(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const z = Number(text)
  if (!Number.isFinite(z) || z <= 0 || z > 38) {
    throw new HttpError(
      400,
      `query parameter ${name} must be a number above 0 and at most 38 (actual: ${JSON.stringify(text)})`,
    )
  }
  return z
}

/** The filter of one arm: the query's filter narrowed to dimension = value. */
function armFilter(
  filter: SpanFilter,
  dimension: (typeof COMPARE_DIMENSIONS)[number],
  value: string,
) {
  if (dimension === 'tag' || dimension === 'variant') {
    const tag = dimension === 'variant' ? `variant:${value}` : value
    return { ...filter, tag: [...(filter.tag ?? []), tag] }
  }
  return { ...filter, [dimension]: [value] }
}

export function analyticsRoutes(app: Hono, store: Store): void {
  app.get('/api/v1/anomalies', (c) => {
    const p = parseQuery(c.req.queries(), ANOMALIES_PARAMS)
    const filter = callFilter(toFilter(p, Date.now()))
    const buckets = Math.ceil((filter.toMs - filter.fromMs) / p.stepMs)
    if (buckets > BUCKETS_MAX) {
      throw new HttpError(
        400,
        `query parameter stepMs (${p.stepMs}) makes ${buckets} buckets; at most ${BUCKETS_MAX} ` +
          `allowed, so use a step of at least ${Math.ceil((filter.toMs - filter.fromMs) / BUCKETS_MAX)}`,
      )
    }
    const warningZ = zBar('warningZ', p.warningZ, ANOMALY_QUERY_DEFAULTS.options.warningZ)
    const criticalZ = zBar('criticalZ', p.criticalZ, ANOMALY_QUERY_DEFAULTS.options.criticalZ)
    if (criticalZ < warningZ) {
      throw new HttpError(
        400,
        `query parameter criticalZ (${criticalZ}) must be at least warningZ (${warningZ})`,
      )
    }
    const groupBy = (p.groupBy.length > 0 ? p.groupBy : ['model']) as GroupDimension[]
    return c.json(
      evaluateAnomalies(store, {
        ...ANOMALY_QUERY_DEFAULTS,
        filter,
        groupBy,
        stepMs: p.stepMs,
        metrics: p.metric.length > 0 ? (p.metric as AnomalyMetric[]) : ANOMALY_METRICS,
        severityMin: p.severity as Severity,
        spans: p.spans,
        options: { ...ANOMALY_QUERY_DEFAULTS.options, warningZ, criticalZ, method: p.method },
      }),
    )
  })

  app.get('/api/v1/compare', (c) => {
    const p = parseQuery(c.req.queries(), COMPARE_PARAMS)
    if (p.a === undefined || p.b === undefined) {
      throw new HttpError(
        400,
        `query parameters a and b are required: the two values of ${p.dimension} to compare ` +
          `(actual: a=${JSON.stringify(p.a ?? null)}, b=${JSON.stringify(p.b ?? null)})`,
      )
    }
    const filter = toFilter(p, Date.now())
    const arm = (value: string) => {
      const traces = armFilter(filter, p.dimension, value)
      const calls = callFilter(traces)
      const sample = { sampleMax: COMPARE_SAMPLE_MAX, seed: SAMPLE_SEED }
      // Scores belong to traces: those given to a trace sit on its root, often an agent span.
      const summary = {
        ...store.summary({ filter: calls, groupBy: [] }).total,
        scores: store.summary({ filter: traces, groupBy: [] }).total.scores,
      }
      return {
        name: `${p.dimension}=${value}`,
        summary,
        calls: store.callSamples({ filter: calls, ...sample }),
        scores: store.scoreSamples({ filter: traces, ...sample }),
      }
    }
    const a = arm(p.a)
    const b = arm(p.b)
    const { tests, warnings } = compareArms(a, b)
    return c.json({
      from: filter.fromMs,
      to: filter.toMs,
      dimension: p.dimension,
      a: { value: p.a, ...a.summary },
      b: { value: p.b, ...b.summary },
      tests,
      warnings,
    })
  })

  app.get('/api/v1/drift', (c) => {
    const p = parseQuery(c.req.queries(), DRIFT_PARAMS)
    const current = toFilter(p, Date.now())
    const referenceTo = p.referenceTo ?? current.fromMs
    const referenceFrom = p.referenceFrom ?? referenceTo - (current.toMs - current.fromMs)
    if (referenceFrom >= referenceTo) {
      throw new HttpError(
        400,
        `query parameter referenceFrom (${referenceFrom}) must be before referenceTo (${referenceTo})`,
      )
    }
    const reference = { ...current, fromMs: referenceFrom, toMs: referenceTo }
    const window = (filter: SpanFilter) => {
      const sample = { sampleMax: DRIFT_SAMPLE_MAX, seed: SAMPLE_SEED }
      return {
        calls: store.callSamples({ filter: callFilter(filter), ...sample }).calls,
        scores: store.scoreSamples({ filter, ...sample }),
      }
    }
    const features = driftFeatures(window(reference), window(current), DRIFT_DEFAULTS)
    return c.json({
      from: current.fromMs,
      to: current.toMs,
      referenceFrom,
      referenceTo,
      thresholds: {
        psiMajor: DRIFT_DEFAULTS.psiMajor,
        psiModerate: DRIFT_DEFAULTS.psiModerate,
        alpha: DRIFT_DEFAULTS.alpha,
      },
      features,
      flagged: features.filter((f) => f.flagged).map((f) => f.feature),
    })
  })
}
