import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { HttpError } from './errors.ts'

/** The cookie that carries a dashboard session; the API key itself never sits in the browser. */
export const SESSION_COOKIE = 'llmlens_session'

export interface SessionOptions {
  /** How long a sign-in lasts. */
  ttlMs: number
  /** Sessions kept at once; signing in beyond this ends the oldest session. */
  sessionsMax: number
  now?: () => number
}

// A week, so a dashboard left open over a weekend still works on Monday; 10,000 sessions hold
// under 2 MB (a 64-character hash and a number each) however often people sign in.
export const SESSION_DEFAULTS: SessionOptions = { ttlMs: 7 * 86_400_000, sessionsMax: 10_000 }

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Dashboard sessions made by signing in with an API key. Tokens are 32 random bytes; only their
 * SHA-256 is kept, in memory, so a restart signs everyone out and a heap dump leaks no token.
 */
export class SessionStore {
  private readonly expiresByHash = new Map<string, number>()
  private readonly now: () => number

  constructor(private readonly options: SessionOptions = SESSION_DEFAULTS) {
    this.now = options.now ?? Date.now
  }

  get size(): number {
    return this.expiresByHash.size
  }

  create(): { token: string; expiresMs: number } {
    const nowMs = this.now()
    for (const [hash, expiresMs] of this.expiresByHash) {
      if (expiresMs <= nowMs) this.expiresByHash.delete(hash)
    }
    // A Map iterates in insertion order, so the first key is the oldest session.
    while (this.expiresByHash.size >= this.options.sessionsMax) {
      const oldest = this.expiresByHash.keys().next().value as string
      this.expiresByHash.delete(oldest)
    }
    const token = randomBytes(32).toString('base64url')
    const expiresMs = nowMs + this.options.ttlMs
    this.expiresByHash.set(hashOf(token), expiresMs)
    return { token, expiresMs }
  }

  isValid(token: string | undefined): boolean {
    if (token === undefined || token === '') return false
    const expiresMs = this.expiresByHash.get(hashOf(token))
    return expiresMs !== undefined && expiresMs > this.now()
  }

  delete(token: string | undefined): void {
    if (token !== undefined) this.expiresByHash.delete(hashOf(token))
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * True when the request's Origin names this server's own host. Browsers send Origin on every
 * state-changing request; a page on another origin (another port on the same host is the same
 * *site*, so SameSite=Strict alone does not stop it) cannot forge it.
 */
export function fromOwnOrigin(c: Context): boolean {
  const origin = c.req.header('origin')
  if (origin === undefined || origin === 'null') return false
  let originHost: string
  try {
    originHost = new URL(origin).host
  } catch {
    return false
  }
  return originHost === (c.req.header('host') ?? new URL(c.req.url).host)
}

/** Refuses a state-changing request that a cookie authenticates unless it is same-origin. */
export function requireOwnOriginFor(c: Context): void {
  if (SAFE_METHODS.has(c.req.method) || fromOwnOrigin(c)) return
  throw new HttpError(
    403,
    `${c.req.method} refused: a request signed in by session cookie must come from this ` +
      "server's own pages (Origin header missing or naming another site)",
  )
}

/** Whether `given` is one of `accepted`, compared in constant time against every key. */
export function isApiKey(accepted: readonly Buffer[], given: string): boolean {
  const givenBytes = Buffer.from(given)
  // Compare against every key in constant time so the reply time says nothing about a key.
  let ok = false
  for (const key of accepted) {
    if (key.length === givenBytes.length && timingSafeEqual(key, givenBytes)) ok = true
  }
  return ok
}

/**
 * Requires `Authorization: Bearer <key>` with one of `keys`, or a dashboard session cookie from
 * `sessions` (then a state-changing request must also come from this server's own origin); with
 * no keys configured the server is loopback-only (config refuses otherwise) and every request
 * passes.
 */
export function requireApiKey(keys: readonly string[], sessions?: SessionStore): MiddlewareHandler {
  const accepted = keys.map((key) => Buffer.from(key))
  return async function apiKey(c, next) {
    if (accepted.length === 0) return next()
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer\s+(.+)$/i.exec(header.trim())
    if (match === null) {
      if (sessions?.isValid(getCookie(c, SESSION_COOKIE))) {
        requireOwnOriginFor(c)
        return next()
      }
      throw new HttpError(401, 'missing API key: send Authorization: Bearer <key>', {
        'WWW-Authenticate': 'Bearer',
      })
    }
    if (!isApiKey(accepted, match[1] as string))
      throw new HttpError(401, 'invalid API key', { 'WWW-Authenticate': 'Bearer' })
    return next()
  }
}
