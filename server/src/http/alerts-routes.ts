import {
  AlertDeletedSchema,
  AlertHistoryPageSchema,
  AlertRuleInputSchema,
  AlertRuleSchema,
  AlertRulesSchema,
} from '@llmlens/spec'
import type { Context, Hono } from 'hono'
import { AlertRequestError, type Alerts, RuleError } from '../alerts/alerts.ts'
import { HttpError } from './errors.ts'
import { FILTER_PARAMS, type ParamSpecs, parseQuery, toFilter } from './params.ts'
import type { RouteDoc } from './route-docs.ts'

const HISTORY_PARAMS = {
  from: FILTER_PARAMS.from,
  to: FILTER_PARAMS.to,
  ruleId: { type: 'string', maxLength: 64, description: 'Only this rule' },
  limit: { type: 'int', min: 1, max: 1000, default: 100, description: 'Items per page' },
  cursor: { type: 'string', maxLength: 200, description: 'nextCursor of the previous page' },
} as const satisfies ParamSpecs

// A rule is a few hundred bytes; 64 KiB is room for ten webhooks and a long filter.
const RULE_BODY_BYTES_MAX = 64 * 1024

export const ALERTS_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/alerts/rules',
    summary: 'Every alert rule, from the alerts file and the API, with whether it is firing',
    response: AlertRulesSchema,
    errors: [400, 401],
  },
  {
    method: 'post',
    path: '/api/v1/alerts/rules',
    summary: 'Adds an alert rule: a threshold or anomaly condition on a metric, filter and window',
    requestBody: AlertRuleInputSchema,
    response: AlertRuleSchema,
    errors: [400, 401, 409, 413],
  },
  {
    method: 'delete',
    path: '/api/v1/alerts/rules/{id}',
    summary: 'Deletes an alert rule made through the API',
    pathParams: { id: 'The rule id' },
    response: AlertDeletedSchema,
    errors: [400, 401, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/alerts/history',
    summary: 'Firings and resolvings, newest first, a page at a time',
    params: HISTORY_PARAMS,
    response: AlertHistoryPageSchema,
    errors: [400, 401],
  },
]

async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text()
  if (text.length > RULE_BODY_BYTES_MAX) {
    throw new HttpError(
      413,
      `an alert rule body may have at most ${RULE_BODY_BYTES_MAX} bytes (actual: ${text.length})`,
    )
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new HttpError(400, `body is not JSON: ${(error as Error).message}`)
  }
}

/** Rule and request errors of the alerts part, as the HTTP errors they are. */
function asHttp(error: unknown): never {
  if (error instanceof RuleError) throw new HttpError(400, error.message)
  if (error instanceof AlertRequestError) throw new HttpError(error.status, error.message)
  throw error
}

/** State changes here pass the API key check of /api/v1/* like every other route. */
export function alertsRoutes(app: Hono, alerts: Alerts): void {
  app.get('/api/v1/alerts/rules', (c) => {
    parseQuery(c.req.queries(), {})
    return c.json({ rules: alerts.rules() })
  })

  app.post('/api/v1/alerts/rules', async (c) => {
    parseQuery(c.req.queries(), {})
    const body = await jsonBody(c)
    try {
      return c.json(alerts.add(body))
    } catch (error) {
      asHttp(error)
    }
  })

  app.delete('/api/v1/alerts/rules/:id', (c) => {
    parseQuery(c.req.queries(), {})
    const id = c.req.param('id')
    try {
      alerts.remove(id)
    } catch (error) {
      asHttp(error)
    }
    return c.json({ deleted: id })
  })

  app.get('/api/v1/alerts/history', (c) => {
    const p = parseQuery(c.req.queries(), HISTORY_PARAMS)
    const { fromMs, toMs } = toFilter({ from: p.from, to: p.to }, Date.now())
    return c.json(
      alerts.history({
        fromMs,
        toMs,
        ...(p.ruleId ? { ruleId: p.ruleId } : {}),
        limit: p.limit,
        cursor: p.cursor ?? null,
      }),
    )
  })
}
