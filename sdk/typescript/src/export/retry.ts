/**
 * Backoff between export attempts. The first retry waits about 500 ms and each next one twice as
 * long, capped at 5 s; ±20% jitter keeps many processes that lost the collector together from
 * retrying in lockstep when it comes back.
 */
const BACKOFF_INITIAL_MS = 500
const BACKOFF_MAX_MS = 5_000
const JITTER = 0.2

export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** attempt)
  return base * (1 - JITTER + 2 * JITTER * random())
}

/** Statuses that say "later" rather than "never": rate limited, or a gateway in trouble. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504])

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3), or null when
 * absent or unreadable.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null
  const value = header.trim()
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs)
}
