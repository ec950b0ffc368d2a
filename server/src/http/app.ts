import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { Alerts } from '../alerts/alerts.ts'
import { WebhookAllowList } from '../alerts/allow-list.ts'
import type { Ingest } from '../ingest/ingest.ts'
import type { Logger } from '../log.ts'
import { Admission } from '../otlp/admission.ts'
import { defaultAdmission, type OtlpAdmissionOptions } from '../otlp/limits.ts'
import type { Hub } from '../realtime/hub.ts'
import type { Store } from '../store/types.ts'
import { ALERTS_DOCS, alertsRoutes } from './alerts-routes.ts'
import { ANALYTICS_DOCS, analyticsRoutes } from './analytics-routes.ts'
import { requireApiKey, SessionStore } from './auth.ts'
import { dashboardRoutes, SECURE_HEADERS, sessionRoutes } from './dashboard-routes.ts'
import { errorHandler } from './errors.ts'
import { EXPORT_DOCS, exportRoutes } from './export-route.ts'
import { GENAI_METRICS_DOCS, genAiMetricsRoutes } from './genai-metrics-route.ts'
import { INGEST_DOCS, ingestRoutes } from './ingest-route.ts'
import { openApiDocument } from './openapi.ts'
import { OTLP_DOCS, otlpRoutes } from './otlp-routes.ts'
import { PROMETHEUS_DOCS, prometheusRoutes } from './prometheus-route.ts'
import { READ_DOCS, readRoutes } from './read-routes.ts'
import { STREAM_DEFAULTS, STREAM_DOCS, type StreamOptions, streamRoutes } from './stream-route.ts'

export interface AppDeps {
  store: Store
  ingest: Ingest
  hub: Hub
  log: Logger
  apiKeys: readonly string[]
  bodyBytesMax: number
  version: string
  stream?: StreamOptions
  /** Overload limits of the OTLP routes; defaults from `defaultAdmission(bodyBytesMax)`. */
  otlp?: Partial<OtlpAdmissionOptions>
  /** Overload limits shared with OTLP/gRPC; made from `otlp` when not given. */
  admission?: Admission
  /** The built dashboard served at `/`; DASHBOARD_DIR (dashboard/build) by default. */
  dashboardDir?: string
  /** Alert rules and their state; without it, rules can be made but no webhook is allowed. */
  alerts?: Alerts
}

export const ROUTE_DOCS = [
  ...INGEST_DOCS,
  ...READ_DOCS,
  ...ANALYTICS_DOCS,
  ...ALERTS_DOCS,
  ...GENAI_METRICS_DOCS,
  ...EXPORT_DOCS,
  ...STREAM_DOCS,
  ...OTLP_DOCS,
  ...PROMETHEUS_DOCS,
]

/** The HTTP face of the server: routes parse and reply; the work happens in the deps. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  app.onError(errorHandler(deps.log))
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404))
  app.use('*', secureHeaders(SECURE_HEADERS))

  app.get('/healthz', (c) => c.text('ok'))
  const openApi = openApiDocument(ROUTE_DOCS, deps.version)
  app.get('/api/v1/openapi.json', (c) => c.json(openApi))

  const sessions = new SessionStore()
  sessionRoutes(app, deps.apiKeys, sessions)
  app.use('/api/v1/*', requireApiKey(deps.apiKeys, sessions))
  ingestRoutes(app, deps.ingest, deps.bodyBytesMax)
  readRoutes(app, deps.store)
  analyticsRoutes(app, deps.store)
  alertsRoutes(
    app,
    deps.alerts ??
      new Alerts({
        store: deps.store,
        hub: deps.hub,
        log: deps.log,
        allow: WebhookAllowList.empty,
      }),
  )
  exportRoutes(app, deps.store)
  streamRoutes(app, deps.hub, deps.stream ?? STREAM_DEFAULTS)
  genAiMetricsRoutes(app, deps.store)

  const admission =
    deps.admission ?? new Admission({ ...defaultAdmission(deps.bodyBytesMax), ...deps.otlp })
  otlpRoutes(app, { ...deps, admission })
  prometheusRoutes(app, deps.ingest.llmMetrics, deps.apiKeys)
  dashboardRoutes(app, { dir: deps.dashboardDir, log: deps.log })
  return app
}
