import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Context, Hono } from 'hono'
import { serveStatic } from 'hono/bun'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { secureHeaders } from 'hono/secure-headers'
import type { Logger } from '../log.ts'
import { isApiKey, requireOwnOriginFor, SESSION_COOKIE, type SessionStore } from './auth.ts'
import { HttpError } from './errors.ts'

/** Where `npm run build -w dashboard` writes the single-page app. */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/build', import.meta.url))

/**
 * Headers for every response. The dashboard needs nothing but its own files: its boot script is
 * moved out of index.html at build time, Svelte sets styles through the CSSOM (which CSP does not
 * govern) and charts draw on canvas, so neither script nor style needs 'unsafe-inline'.
 */
export const SECURE_HEADERS: Parameters<typeof secureHeaders>[0] = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'"],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  xFrameOptions: 'DENY',
}

// Paths the dashboard never owns: an unknown one there is an API 404, not the app's index.html.
const RESERVED_PREFIXES = ['/api/', '/v1/', '/metrics', '/healthz']
// Hashed file names change with their content, so a year (the most browsers honour) is safe.
const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable'
// Un-hashed files (favicon): a day, so a new version shows up without a hard reload.
const PLAIN_CACHE = 'public, max-age=86400'

function isReserved(path: string): boolean {
  return RESERVED_PREFIXES.some(
    (prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix),
  )
}

function cacheControlFor(path: string): string {
  if (path.includes('/_app/immutable/')) return IMMUTABLE_CACHE
  // index.html and version.json must be revalidated, or a deploy would keep serving old chunks.
  if (path.endsWith('.html') || path.endsWith('version.json')) return 'no-cache'
  return PLAIN_CACHE
}

export interface DashboardOptions {
  /** The built app (index.html and _app/); DASHBOARD_DIR by default. */
  dir?: string | undefined
  log: Logger
}

/**
 * Serves the dashboard at `/`: its files (precompressed .br/.gz siblings when the browser takes
 * them), and index.html for every other GET that is not an API path, so client-side routes such
 * as /traces/abc load the app. Register it after the API routes.
 */
export function dashboardRoutes(app: Hono, options: DashboardOptions): void {
  const { dir = DASHBOARD_DIR, log } = options
  if (!existsSync(`${dir}/index.html`)) {
    log.warn('dashboard not built; serving API only', {
      dir,
      fix: 'npm run build -w dashboard',
    })
    app.get('*', (c, next) => {
      if (isReserved(c.req.path)) return next()
      return c.text(
        'The llmlens dashboard is not built. Run `npm run build -w dashboard` ' +
          '(`npm start` does it when needed), then reload.\n',
        503,
        { 'cache-control': 'no-store' },
      )
    })
    return
  }

  const onFound = (path: string, c: Context) => {
    c.header('cache-control', cacheControlFor(path))
  }
  const files = serveStatic({ root: dir, precompressed: true, onFound })
  const index = serveStatic({ root: dir, path: 'index.html', precompressed: true, onFound })

  app.get('*', (c, next) => (isReserved(c.req.path) ? next() : files(c, next)))
  app.get('*', (c, next) => {
    // A missing file (a stale chunk after a deploy) is a 404, not the app: HTML served as
    // JavaScript only fails later with a confusing MIME error.
    const lastSegment = c.req.path.slice(c.req.path.lastIndexOf('/') + 1)
    if (isReserved(c.req.path) || lastSegment.includes('.')) return next()
    return index(c, next)
  })
}

const SESSION_BODY_BYTES_MAX = 4096

/** The reply of GET /api/v1/session: whether the dashboard must ask for a key. */
export interface SessionState {
  authRequired: boolean
  authenticated: boolean
}

async function apiKeyOf(c: Context): Promise<string> {
  const text = await c.req.text()
  if (text.length > SESSION_BODY_BYTES_MAX) {
    throw new HttpError(413, `body has ${text.length} bytes; at most ${SESSION_BODY_BYTES_MAX}`)
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new HttpError(400, 'body must be JSON: {"apiKey": "<one of LLMLENS_API_KEYS>"}')
  }
  const apiKey = (body as { apiKey?: unknown } | null)?.apiKey
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new HttpError(400, 'body must be {"apiKey": "<one of LLMLENS_API_KEYS>"}')
  }
  return apiKey
}

/**
 * Dashboard sign-in: GET says whether a key is needed and whether this browser has a session;
 * POST trades an API key for a session in an HttpOnly, SameSite=Strict cookie; DELETE signs out.
 * Register it before the API key middleware, so a browser without a session can reach it.
 */
export function sessionRoutes(app: Hono, apiKeys: readonly string[], sessions: SessionStore) {
  const accepted = apiKeys.map((key) => Buffer.from(key))
  const required = accepted.length > 0

  app.get('/api/v1/session', (c) => {
    const authenticated = !required || sessions.isValid(getCookie(c, SESSION_COOKIE))
    c.header('cache-control', 'no-store')
    return c.json({ authRequired: required, authenticated } satisfies SessionState)
  })

  app.post('/api/v1/session', async (c) => {
    // Checked first even though no cookie is involved yet: another origin must not be able to
    // sign this browser in to a key of its choosing.
    requireOwnOriginFor(c)
    const apiKey = await apiKeyOf(c)
    if (!required)
      return c.json({ authRequired: false, authenticated: true } satisfies SessionState)
    if (!isApiKey(accepted, apiKey)) throw new HttpError(401, 'invalid API key')

    const { token, expiresMs } = sessions.create()
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: isHttps(c),
      path: '/api/',
      maxAge: Math.floor((expiresMs - Date.now()) / 1000),
    })
    c.header('cache-control', 'no-store')
    return c.json({ authRequired: true, authenticated: true } satisfies SessionState)
  })

  app.delete('/api/v1/session', (c) => {
    requireOwnOriginFor(c)
    sessions.delete(getCookie(c, SESSION_COOKIE))
    deleteCookie(c, SESSION_COOKIE, { path: '/api/', secure: isHttps(c) })
    return c.body(null, 204)
  })
}

/** Behind a TLS-terminating proxy the request arrives as http, with the original scheme named. */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https'
}
