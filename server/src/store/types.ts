import type {
  AlertEvent,
  AlertHistoryPage,
  AlertRule,
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
  AlertEvent,
  AlertHistoryPage,
  AlertRule,
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

/** A span by its identity. */
export interface SpanKey {
  traceId: string
  spanId: string
}

/** A stored span's prompt and completion, as the JSON text the store keeps. */
export interface SpanContent extends SpanKey {
  input: string | null
  output: string | null
}

/**
 * Content that arrived before its span (an OTLP log event), kept until the span comes. The store
 * holds `body` as opaque text; `seq` is its position among the pieces parked with it.
 */
export interface ParkedContent extends SpanKey {
  seq: number
  body: string
  receivedMs: number
}

/** One histogram data point of an OTLP GenAI metric, with the labels llmlens groups by. */
export interface GenAiMetricPoint {
  metric: string
  /** The point's identity among the metric's series: its attributes and service, as JSON. */
  series: string
  service: string | null
  operation: string | null
  provider: string | null
  model: string | null
  tokenType: string | null
  errorType: string | null
  /** OTLP AggregationTemporality: 1 delta, 2 cumulative. */
  temporality: number
  startMs: number
  timeMs: number
  count: number
  sum: number | null
  min: number | null
  max: number | null
  explicitBounds: number[]
  bucketCounts: number[]
}

export interface GenAiMetricQuery {
  metric: string
  fromMs: number
  toMs: number
}

/** One call as the statistics see it: the numbers they compare, no names and no content. */
export interface CallSample {
  durationMs: number
  ttftMs: number | null
  inputTokens: number | null
  outputTokens: number | null
  costUsd: number | null
  /** The error category of a failed call; null for a call that succeeded. */
  errorType: string | null
  finishReason: string | null
}

export interface SampleQuery {
  filter: SpanFilter
  /** At most this many calls come back, drawn uniformly from all that match. */
  sampleMax: number
  /** Seeds the draw, so that the same query over the same data gives the same sample. */
  seed: number
}

export interface CallSamples {
  /** Calls that matched, of which `calls` holds a uniform sample. */
  matched: number
  calls: CallSample[]
}

/** The scores of the calls a filter matches: sampled numeric values and exact label counts. */
export interface ScoreSamples {
  values: Record<string, number[]>
  labels: Record<string, Record<string, number>>
}

/** A call slower than a bar, with what identifies it. */
export interface SlowCall {
  traceId: string
  spanId: string
  startMs: number
  durationMs: number
}

export interface AlertHistoryQuery {
  fromMs: number
  toMs: number
  ruleId?: string
  limit: number
  cursor: string | null
}

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
  /** The stored content of those spans that exist; absent spans are left out. */
  spanContents(keys: readonly SpanKey[]): SpanContent[]
  /**
   * In one transaction: replaces the content of existing spans, parks content for spans not yet
   * stored, and drops parked content received before `parkedBeforeMs`.
   */
  writeContents(
    contents: readonly SpanContent[],
    parked: readonly ParkedContent[],
    parkedBeforeMs: number,
  ): void
  /** Removes and returns the content parked for these spans, in the order it was parked. */
  takeParkedContents(keys: readonly SpanKey[]): ParkedContent[]
  /** Stores metric points; a resent point (same metric, series and times) is ignored. */
  writeGenAiMetricPoints(points: readonly GenAiMetricPoint[]): number
  /**
   * The points of a metric with a time in [fromMs, toMs), and for each cumulative series the
   * last point before fromMs, which a window's total is measured from.
   */
  genAiMetricPoints(query: GenAiMetricQuery): GenAiMetricPoint[]
  /** A uniform sample of the calls a filter matches, for tests that need the values. */
  callSamples(query: SampleQuery): CallSamples
  /** Numeric score values (sampled, up to sampleMax per name) and label counts of those calls. */
  scoreSamples(query: SampleQuery): ScoreSamples
  /** Calls of the filter at least `durationMsMin` long, slowest first, at most `limit`. */
  slowCalls(filter: SpanFilter, durationMsMin: number, limit: number): SlowCall[]
  /** Alert rules created through the API (rules from the alerts file are not stored). */
  alertRules(): AlertRule[]
  /** Stores a rule; false when a rule with its id exists already. */
  insertAlertRule(rule: AlertRule): boolean
  /** Removes a rule; false when none had that id. */
  deleteAlertRule(id: string): boolean
  /** Appends a firing or resolving to the history and returns it with its id. */
  appendAlertEvent(event: Omit<AlertEvent, 'id'>): AlertEvent
  /** History, newest first, a page at a time. */
  alertEvents(query: AlertHistoryQuery): AlertHistoryPage
  /** Each rule's most recent event, so that a restart knows which alerts are still firing. */
  lastAlertEvents(): AlertEvent[]
  close(): void
}
