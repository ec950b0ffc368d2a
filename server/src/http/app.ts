import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { Ingest } from '../ingest/ingest.ts'
import type { Logger } from '../log.ts'
import type { Hub } from '../realtime/hub.ts'
import type { Store } from '../store/types.ts'
import { requireApiKey } from './auth.ts'
import { errorHandler } from './errors.ts'
import { EXPORT_DOCS, exportRoutes } from './export-route.ts'
import { INGEST_DOCS, ingestRoutes } from './ingest-route.ts'
import { openApiDocument } from './openapi.ts'
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
}

export const ROUTE_DOCS = [...INGEST_DOCS, ...READ_DOCS, ...EXPORT_DOCS, ...STREAM_DOCS]

/** The HTTP face of the server: routes parse and reply; the work happens in the deps. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  app.onError(errorHandler(deps.log))
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404))
  app.use('*', secureHeaders())

  app.get('/healthz', (c) => c.text('ok'))
  const openApi = openApiDocument(ROUTE_DOCS, deps.version)
  app.get('/api/v1/openapi.json', (c) => c.json(openApi))

  app.use('/api/v1/*', requireApiKey(deps.apiKeys))
  ingestRoutes(app, deps.ingest, deps.bodyBytesMax)
  readRoutes(app, deps.store)
  exportRoutes(app, deps.store)
  streamRoutes(app, deps.hub, deps.stream ?? STREAM_DEFAULTS)
  return app
}
