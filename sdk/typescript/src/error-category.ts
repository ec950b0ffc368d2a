import type { ErrorCategory, SpanError } from './types.ts'

interface ErrorLike {
  name?: unknown
  message?: unknown
  status?: unknown
  code?: unknown
  /** The parsed error body of the OpenAI and Anthropic clients. */
  error?: unknown
  constructor?: { name?: unknown }
}

const CONTEXT_LENGTH =
  /context.length|context window|prompt is too long|maximum context|too many tokens/i
const CONTENT_FILTER = /content.filter|content.policy|content management policy/i

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

/**
 * The provider's own message: OpenAI puts it at `error.message`, Anthropic at
 * `error.error.message`; the client's `message` prefixes the status and may hold the raw body.
 */
function providerMessage(error: ErrorLike): string | undefined {
  const body = record(error.error)
  return text(body?.message) ?? text(record(body?.error)?.message) ?? text(error.message)
}

function providerCode(error: ErrorLike): string {
  const body = record(error.error)
  const nested = record(body?.error)
  return [error.code, body?.code, body?.type, nested?.type]
    .filter((v) => typeof v === 'string')
    .join(' ')
}

/**
 * The category of an error thrown by a provider's client or by `fetch`: from the client's error
 * class (the official clients name them `RateLimitError`, `APIConnectionTimeoutError`, …), its
 * HTTP status, and its code or message for the cases a status cannot tell (a 400 that is about
 * the context length).
 */
export function errorCategory(error: unknown): ErrorCategory {
  const shape = (record(error) ?? {}) as ErrorLike
  const name = `${String(shape.name ?? '')} ${String(shape.constructor?.name ?? '')}`
  const status = typeof shape.status === 'number' ? shape.status : undefined
  const clues = `${providerCode(shape)} ${providerMessage(shape) ?? ''}`

  if (/UserAbort|AbortError/.test(name)) return 'cancelled'
  if (/Timeout/.test(name)) return 'timeout'
  if (/ConnectionError/.test(name)) return 'network'
  if (CONTEXT_LENGTH.test(clues)) return 'context_length'
  if (CONTENT_FILTER.test(clues)) return 'content_filter'
  if (status === undefined) {
    // fetch rejects with a TypeError ("fetch failed", "Failed to fetch") when no response came.
    return /TypeError/.test(name) && /fetch|network|connect/i.test(clues) ? 'network' : 'unknown'
  }
  if (status === 429) return 'rate_limit'
  if (status === 401 || status === 403) return 'auth'
  if (status === 408 || status === 504) return 'timeout'
  if (status >= 500) return 'server_error'
  if (status >= 400) return 'invalid_request'
  return 'unknown'
}

/** A wire error from anything thrown: its category, the provider's message and the status. */
export function spanErrorFrom(error: unknown): SpanError {
  const shape = (record(error) ?? {}) as ErrorLike
  const status = shape.status
  return {
    type: errorCategory(error),
    message: providerMessage(shape) ?? (typeof error === 'string' ? error : String(error)),
    httpStatus: typeof status === 'number' && status >= 100 && status <= 599 ? status : null,
  }
}
