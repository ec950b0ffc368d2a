import { timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { HttpError } from './errors.ts'

/**
 * Requires `Authorization: Bearer <key>` with one of `keys`; with no keys configured the server
 * is loopback-only (config refuses otherwise) and every request passes.
 */
export function requireApiKey(keys: readonly string[]): MiddlewareHandler {
  const accepted = keys.map((key) => Buffer.from(key))
  return async function apiKey(c, next) {
    if (accepted.length === 0) return next()
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer\s+(.+)$/i.exec(header.trim())
    if (match === null) {
      throw new HttpError(401, 'missing API key: send Authorization: Bearer <key>', {
        'WWW-Authenticate': 'Bearer',
      })
    }
    const given = Buffer.from(match[1] as string)
    // Compare against every key in constant time so the reply time says nothing about a key.
    let ok = false
    for (const key of accepted) {
      if (key.length === given.length && timingSafeEqual(key, given)) ok = true
    }
    if (!ok) throw new HttpError(401, 'invalid API key', { 'WWW-Authenticate': 'Bearer' })
    return next()
  }
}
