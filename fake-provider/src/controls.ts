import { ApiError, type FakeErrorKind, parseErrorHeader } from './errors.ts'
import { type LatencyOverrides, parseLatencyHeaders, parseNumberHeader } from './latency.ts'

/**
 * Per-request controls, sent as headers so any client can steer one call:
 * - `x-fake-error`: force an error (`429`, `500`, `401`, `503`/`529`, `context_length`, `timeout`)
 * - `x-fake-delay-ms`: how long a forced timeout holds the request before its 504
 * - `x-fake-latency-ms`, `x-fake-ttft-ms`: exact whole-call and first-token delays
 * - `x-fake-cached-tokens`: prompt tokens to report as read from the cache
 */
export interface RequestControls {
  forcedError: FakeErrorKind | null
  latency: LatencyOverrides
  holdMs: number | null
  cachedTokens: number | null
}

export function readControls(headers: Headers): RequestControls | ApiError {
  const forcedError = parseErrorHeader(headers.get('x-fake-error'))
  if (forcedError instanceof ApiError) return forcedError
  const latency = parseLatencyHeaders(headers)
  if (typeof latency === 'string') return new ApiError('invalid_request', latency)
  const holdMs = parseNumberHeader(headers, 'x-fake-delay-ms')
  if (typeof holdMs === 'string') return new ApiError('invalid_request', holdMs)
  const cachedTokens = parseNumberHeader(headers, 'x-fake-cached-tokens', 'a token count >= 0')
  if (typeof cachedTokens === 'string') return new ApiError('invalid_request', cachedTokens)
  return { forcedError, latency, holdMs, cachedTokens }
}
