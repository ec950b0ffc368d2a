import type { Hono } from 'hono'
import type { LlmMetrics } from '../prometheus/llm-metrics.ts'
import { requireApiKey } from './auth.ts'
import type { RouteDoc } from './route-docs.ts'

export const PROMETHEUS_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/metrics',
    summary:
      'Prometheus exposition of the LLM calls stored since start: requests, errors by type, ' +
      'duration, time to first token and token histograms (gen_ai buckets), tokens and cost, ' +
      'by provider and model',
    response: {
      contentType: 'text/plain; version=0.0.4',
      description: 'Prometheus text format',
    },
    errors: [401],
  },
]

/** GET /metrics for Prometheus; behind the API key when keys are configured, like the API. */
export function prometheusRoutes(app: Hono, metrics: LlmMetrics, apiKeys: readonly string[]) {
  app.get('/metrics', requireApiKey(apiKeys), async (c) => {
    return c.body(await metrics.exposition(), 200, { 'content-type': metrics.contentType })
  })
}
