import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { IngestError } from '../ingest/ingest.ts'
import type { Logger } from '../log.ts'
import { CursorError } from '../store/sqlite/cursor.ts'

/** A request the client can fix; the message says what was wrong, where, and what is allowed. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

/** Client errors become `{ "error": message }` with their status; a fault never shows its stack. */
export function errorHandler(log: Logger) {
  return function onError(error: Error, c: Context) {
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value)
      return c.json({ error: error.message }, error.status)
    }
    if (error instanceof IngestError) return c.json({ error: error.message }, error.status)
    if (error instanceof CursorError) return c.json({ error: error.message }, 400)
    log.error('request failed', { method: c.req.method, path: c.req.path, error: String(error) })
    return c.json({ error: 'internal error; the server log has the details' }, 500)
  }
}
