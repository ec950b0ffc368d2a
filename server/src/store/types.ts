import type {
  ErrorsReport,
  ScoresPage,
  SpansPage,
  StoredScore,
  StoredSpan,
  Summary,
  Timeseries,
  Score as WireScore,
} from '@llmlens/spec'

export type {
  ErrorsReport,
  ScoresPage,
  SpansPage,
  StoredScore,
  StoredSpan,
  Summary,
  Timeseries,
  WireScore,
}

/** The dimensions a summary or time series can be grouped by. */
export const GROUP_DIMENSIONS = [
  'model',
  'modelFamily',
  'provider',
  'endpoint',
  'environment',
  'release',
  'userId',
  'sessionId',
] as const
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number]

/** Which spans a read looks at. Every list means "any of these values". */
export interface SpanFilter {
  fromMs: number
  toMs: number
  model?: string[]
  modelFamily?: string[]
  provider?: string[]
  endpoint?: string[]
  environment?: string[]
  release?: string[]
  userId?: string[]
  sessionId?: string[]
  kind?: string[]
  status?: string[]
  errorType?: string[]
  tag?: string[]
}

export const SPAN_SORTS = ['startTime', 'durationMs', 'costUsd'] as const
export type SpanSort = (typeof SPAN_SORTS)[number]

export interface SpanListQuery {
  filter: SpanFilter
  sort: SpanSort
  order: 'asc' | 'desc'
  limit: number
  cursor: string | null
  /** Substring searched in the name, model and endpoint. */
  search: string | null
  /** Whether to return the prompt and completion; lists usually do not need them. */
  withContent: boolean
}

export interface ScoreListQuery {
  fromMs: number
  toMs: number
  name?: string[]
  traceId?: string
  source?: string[]
  limit: number
  cursor: string | null
}

export interface TimeseriesQuery {
  filter: SpanFilter
  groupBy: GroupDimension[]
  stepMs: number
}

export interface SummaryQuery {
  filter: SpanFilter
  groupBy: GroupDimension[]
}

/** A span on its way in, with its content already serialised once for size checks. */
export type NewSpan = StoredSpan & { inputJson: string | null; outputJson: string | null }

export type Trace = { traceId: string; spans: StoredSpan[]; roots: string[]; scores: StoredScore[] }

/** What a write did; duplicates are resends of an already stored (traceId, spanId) or score id. */
export interface WriteResult {
  newSpans: NewSpan[]
  newScores: StoredScore[]
}

/** Rows streamed out by an export, one object at a time. */
export type RowStream<T> = Iterable<T> & { close(): void }

/**
 * Where spans and scores live. SQLite implements it today; a ClickHouse store will later.
 * A write returns only after the data is durably committed.
 */
export interface Store {
  write(spans: readonly NewSpan[], scores: readonly StoredScore[]): WriteResult
  summary(query: SummaryQuery): Summary
  timeseries(query: TimeseriesQuery): Timeseries
  spans(query: SpanListQuery): SpansPage
  trace(traceId: string): Trace | null
  errors(filter: SpanFilter, recentLimit: number): ErrorsReport
  scores(query: ScoreListQuery): ScoresPage
  exportSpans(filter: SpanFilter): RowStream<StoredSpan>
  exportScores(query: Omit<ScoreListQuery, 'limit' | 'cursor'>): RowStream<StoredScore>
  /** Deletes up to `rowsMax` rows older than the cutoff; returns how many went. */
  deleteOlderThan(cutoffMs: number, rowsMax: number): number
  close(): void
}
