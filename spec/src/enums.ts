/** What a span does in an LLM application. */
export const SPAN_KINDS = [
  'llm',
  'embedding',
  'tool',
  'retrieval',
  'agent',
  'chain',
  'span',
] as const
export type SpanKind = (typeof SPAN_KINDS)[number]

export const SPAN_STATUSES = ['ok', 'error'] as const
export type SpanStatus = (typeof SPAN_STATUSES)[number]

/** Why a call failed, as one category every provider's errors map onto. */
export const ERROR_CATEGORIES = [
  'rate_limit',
  'timeout',
  'auth',
  'invalid_request',
  'context_length',
  'content_filter',
  'server_error',
  'network',
  'cancelled',
  'unknown',
] as const
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number]
