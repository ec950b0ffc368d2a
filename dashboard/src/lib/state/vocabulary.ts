import type { ErrorCategory, SpanKind, SpanStatus } from '@llmlens/spec'

// The wire contract's enums, restated here so the dashboard bundle does not pull in the spec's
// schema library; `satisfies` keeps them honest against the spec's types.
export const SPAN_KINDS = [
  'llm',
  'embedding',
  'tool',
  'retrieval',
  'agent',
  'chain',
  'span',
] as const satisfies readonly SpanKind[]

export const SPAN_STATUSES = ['ok', 'error'] as const satisfies readonly SpanStatus[]

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
] as const satisfies readonly ErrorCategory[]
