import { IngestReplySchema, IngestRequestSchema } from '@llmlens/spec'
import type { Hono } from 'hono'
import type { Ingest } from '../ingest/ingest.ts'
import { readJson } from './body.ts'
import type { RouteDoc } from './route-docs.ts'

export const INGEST_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v1/ingest',
    summary: 'Store spans and scores; each bad item is rejected on its own with the field at fault',
    requestBody: IngestRequestSchema,
    response: IngestReplySchema,
    errors: [400, 401, 413, 415],
  },
]

export function ingestRoutes(app: Hono, ingest: Ingest, bodyBytesMax: number): void {
  app.post('/api/v1/ingest', async (c) => {
    const body = await readJson(c.req.raw, bodyBytesMax)
    return c.json(ingest(body, Date.now()))
  })
}
