import {
  ErrorsSchema,
  ScoresPageSchema,
  SpansPageSchema,
  SummarySchema,
  TimeseriesSchema,
  TraceSchema,
} from '@llmlens/spec'
import type { Hono } from 'hono'
import { SPAN_SORTS, type Store } from '../store/types.ts'
import { HttpError } from './errors.ts'
import { FILTER_PARAMS, GROUP_BY_PARAM, type ParamSpecs, parseQuery, toFilter } from './params.ts'
import type { RouteDoc } from './route-docs.ts'

const SUMMARY_PARAMS = { ...FILTER_PARAMS, ...GROUP_BY_PARAM } as const satisfies ParamSpecs

// 10,000 buckets is a chart four times wider than a 4K screen; more is a mistake, not a need.
const BUCKETS_MAX = 10_000
const TIMESERIES_PARAMS = {
  ...SUMMARY_PARAMS,
  stepMs: {
    type: 'int',
    min: 0,
    max: 31 * 86_400_000,
    default: 0,
    description: 'Bucket width in ms (default: about 120 buckets over the range, rounded)',
  },
} as const satisfies ParamSpecs

const PAGE = {
  limit: { type: 'int', min: 1, max: 1000, default: 100, description: 'Items per page' },
  cursor: { type: 'string', maxLength: 200, description: 'nextCursor of the previous page' },
} as const satisfies ParamSpecs

const SPANS_PARAMS = {
  ...FILTER_PARAMS,
  ...PAGE,
  sort: { type: 'enum', values: SPAN_SORTS, default: 'startTime', description: 'Sort field' },
  order: { type: 'enum', values: ['desc', 'asc'], default: 'desc', description: 'Sort order' },
  search: {
    type: 'string',
    maxLength: 256,
    description: 'Case-insensitive substring of name, model or endpoint',
  },
  content: { type: 'bool', default: false, description: 'Include prompts and completions' },
} as const satisfies ParamSpecs

const ERRORS_PARAMS = {
  ...FILTER_PARAMS,
  limit: { type: 'int', min: 0, max: 500, default: 20, description: 'Recent failed calls to list' },
} as const satisfies ParamSpecs

const SCORES_PARAMS = {
  from: FILTER_PARAMS.from,
  to: FILTER_PARAMS.to,
  name: { type: 'list', description: 'Only these score names' },
  source: { type: 'list', description: 'Only these sources' },
  traceId: { type: 'string', maxLength: 64, description: 'Only this trace' },
  ...PAGE,
} as const satisfies ParamSpecs

const NICE_STEPS_MS = [
  1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400,
].map((seconds) => seconds * 1000)

/** About 120 buckets, rounded up to a step a person would pick. */
export function autoStepMs(rangeMs: number): number {
  const raw = rangeMs / 120
  return NICE_STEPS_MS.find((step) => step >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000
}

export const READ_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/metrics/summary',
    summary:
      'Counts, error rate, latency and TTFT percentiles, tokens, cost and scores, in total and per group',
    params: SUMMARY_PARAMS,
    response: SummarySchema,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/metrics/timeseries',
    summary: 'The same metrics per time bucket, one series per group',
    params: TIMESERIES_PARAMS,
    response: TimeseriesSchema,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/spans',
    summary: 'Spans matching a filter, sorted, a page at a time',
    params: SPANS_PARAMS,
    response: SpansPageSchema,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/traces/{traceId}',
    summary: 'Every span and score of one trace',
    pathParams: { traceId: '32 hex characters' },
    response: TraceSchema,
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/errors',
    summary: 'Failed calls by category and model, with recent examples',
    params: ERRORS_PARAMS,
    response: ErrorsSchema,
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/scores',
    summary: 'Scores, newest first, a page at a time',
    params: SCORES_PARAMS,
    response: ScoresPageSchema,
    errors: [400, 401],
  },
]

export function readRoutes(app: Hono, store: Store): void {
  app.get('/api/v1/metrics/summary', (c) => {
    const params = parseQuery(c.req.queries(), SUMMARY_PARAMS)
    return c.json(
      store.summary({ filter: toFilter(params, Date.now()), groupBy: params.groupBy as never }),
    )
  })

  app.get('/api/v1/metrics/timeseries', (c) => {
    const params = parseQuery(c.req.queries(), TIMESERIES_PARAMS)
    const filter = toFilter(params, Date.now())
    const rangeMs = filter.toMs - filter.fromMs
    const stepMs = params.stepMs === 0 ? autoStepMs(rangeMs) : params.stepMs
    if (rangeMs / stepMs > BUCKETS_MAX) {
      throw new HttpError(
        400,
        `query parameter stepMs (${stepMs}) makes ${Math.ceil(rangeMs / stepMs)} buckets; at most ${BUCKETS_MAX} allowed, so use a step of at least ${Math.ceil(rangeMs / BUCKETS_MAX)}`,
      )
    }
    return c.json(store.timeseries({ filter, groupBy: params.groupBy as never, stepMs }))
  })

  app.get('/api/v1/spans', (c) => {
    const p = parseQuery(c.req.queries(), SPANS_PARAMS)
    return c.json(
      store.spans({
        filter: toFilter(p, Date.now()),
        sort: p.sort,
        order: p.order,
        limit: p.limit,
        cursor: p.cursor ?? null,
        search: p.search ?? null,
        withContent: p.content,
      }),
    )
  })

  app.get('/api/v1/traces/:traceId', (c) => {
    parseQuery(c.req.queries(), {})
    const traceId = c.req.param('traceId').toLowerCase()
    if (!/^[0-9a-f]{32}$/.test(traceId)) {
      throw new HttpError(
        400,
        `trace id must be 32 hex characters (actual: ${JSON.stringify(c.req.param('traceId'))})`,
      )
    }
    const trace = store.trace(traceId)
    if (trace === null) throw new HttpError(404, `no trace ${traceId} is stored`)
    return c.json(trace)
  })

  app.get('/api/v1/errors', (c) => {
    const params = parseQuery(c.req.queries(), ERRORS_PARAMS)
    return c.json(store.errors(toFilter(params, Date.now()), params.limit))
  })

  app.get('/api/v1/scores', (c) => {
    const p = parseQuery(c.req.queries(), SCORES_PARAMS)
    const { fromMs, toMs } = toFilter({ from: p.from, to: p.to }, Date.now())
    return c.json(
      store.scores({
        fromMs,
        toMs,
        name: p.name,
        source: p.source,
        ...(p.traceId ? { traceId: p.traceId.toLowerCase() } : {}),
        limit: p.limit,
        cursor: p.cursor ?? null,
      }),
    )
  })
}
