import type { Hono } from 'hono'
import { GENAI_METRICS } from '../otlp/ingest-metrics.ts'
import { GENAI_METRIC_DIMENSIONS, windowTotals } from '../otlp/metric-window.ts'
import type { Store } from '../store/types.ts'
import { FILTER_PARAMS, type ParamSpecs, parseQuery, toFilter } from './params.ts'
import type { RouteDoc } from './route-docs.ts'

const GENAI_PARAMS = {
  from: FILTER_PARAMS.from,
  to: FILTER_PARAMS.to,
  metric: {
    type: 'enum',
    values: GENAI_METRICS,
    default: 'gen_ai.client.operation.duration',
    description: 'Which OTLP GenAI histogram',
  },
  groupBy: {
    type: 'list',
    values: GENAI_METRIC_DIMENSIONS,
    itemsMax: 3,
    description: `Group by up to three of ${GENAI_METRIC_DIMENSIONS.join(', ')}`,
  },
} as const satisfies ParamSpecs

export const GENAI_METRICS_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/metrics/genai',
    summary:
      'The GenAI histograms received on /v1/metrics, summed over the range per group: count, ' +
      'sum, min, max and bucket counts (cumulative series are differenced across the range)',
    params: GENAI_PARAMS,
    response: {
      contentType: 'application/json',
      description:
        '{ from, to, metric, groups: [{ key, count, sum, min, max, explicitBounds, bucketCounts }] }',
    },
    errors: [400, 401],
  },
]

export function genAiMetricsRoutes(app: Hono, store: Store): void {
  app.get('/api/v1/metrics/genai', (c) => {
    const params = parseQuery(c.req.queries(), GENAI_PARAMS)
    const { fromMs, toMs } = toFilter(params, Date.now())
    const points = store.genAiMetricPoints({ metric: params.metric, fromMs, toMs })
    const groups = windowTotals(
      points,
      fromMs,
      params.groupBy as (typeof GENAI_METRIC_DIMENSIONS)[number][],
    )
    return c.json({ from: fromMs, to: toMs, metric: params.metric, groups })
  })
}
