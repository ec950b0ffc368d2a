import type { Metrics, StoredSpan } from '@llmlens/spec'
import type { FilterDimension, Filters } from '../state/view-query.ts'

type FieldReader = (span: StoredSpan) => string | null

/** How each filter reads a span, mirroring the server's WHERE clause. */
const FIELDS: Record<Exclude<FilterDimension, 'tag'>, FieldReader> = {
  model: (span) => span.model,
  provider: (span) => span.provider,
  endpoint: (span) => span.endpoint,
  environment: (span) => span.environment,
  release: (span) => span.release,
  userId: (span) => span.userId,
  sessionId: (span) => span.sessionId,
  kind: (span) => span.kind,
  status: (span) => span.status,
  errorType: (span) => span.error?.type ?? null,
}

/** Whether the server would count `span` under `filters`: any listed value, every listed tag. */
export function matchesFilters(span: StoredSpan, filters: Filters): boolean {
  for (const [dimension, read] of Object.entries(FIELDS) as [keyof typeof FIELDS, FieldReader][]) {
    const values = filters[dimension]
    if (values === undefined || values.length === 0) continue
    const value = read(span)
    if (value === null || !values.includes(value)) return false
  }
  return (filters.tag ?? []).every((tag) => span.tags.includes(tag))
}

/** The trace list's search: a case-insensitive substring of the name, model or endpoint. */
export function matchesSearch(span: StoredSpan, search: string): boolean {
  if (search === '') return true
  const needle = search.toLowerCase()
  return [span.name, span.model, span.endpoint].some(
    (field) => field?.toLowerCase().includes(needle) ?? false,
  )
}

/** The additive part of a metrics object: what one more span changes exactly. */
export interface Counters {
  count: number
  errorCount: number
  inputTokens: number
  outputTokens: number
  costUsd: number
  /** Error categories in first-seen order; a Map, since category names arrive as data. */
  errorsByType: Map<string, number>
}

export function emptyCounters(): Counters {
  return {
    count: 0,
    errorCount: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    errorsByType: new Map(),
  }
}

export function countersOf(metrics: Metrics): Counters {
  const errorsByType = new Map<string, number>()
  for (const key of Object.keys(metrics.errorsByType)) {
    errorsByType.set(key, metrics.errorsByType[key] ?? 0)
  }
  return {
    count: metrics.count,
    errorCount: metrics.errorCount,
    inputTokens: metrics.usage.inputTokens,
    outputTokens: metrics.usage.outputTokens,
    costUsd: metrics.costUsd,
    errorsByType,
  }
}

/** `counters` with one more span counted; a new object, so a reactive holder sees the change. */
export function withSpan(counters: Counters, span: StoredSpan): Counters {
  const errorsByType = new Map(counters.errorsByType)
  if (span.status === 'error') {
    const type = span.error?.type ?? 'unknown'
    errorsByType.set(type, (errorsByType.get(type) ?? 0) + 1)
  }
  return {
    count: counters.count + 1,
    errorCount: counters.errorCount + (span.status === 'error' ? 1 : 0),
    inputTokens: counters.inputTokens + (span.usage.inputTokens ?? 0),
    outputTokens: counters.outputTokens + (span.usage.outputTokens ?? 0),
    costUsd: counters.costUsd + (span.costUsd ?? 0),
    errorsByType,
  }
}

/** The index of the bucket a span starts in, or -1 before the window. */
export function bucketIndex(startMs: number, window: { fromMs: number; stepMs: number }): number {
  if (startMs < window.fromMs) return -1
  return Math.floor((startMs - window.fromMs) / window.stepMs)
}
