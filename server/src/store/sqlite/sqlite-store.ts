import { Database, type Statement } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type {
  AlertEvent,
  AlertHistoryPage,
  AlertHistoryQuery,
  AlertRule,
  CallSamples,
  ErrorsReport,
  GenAiMetricPoint,
  GenAiMetricQuery,
  NewSpan,
  ParkedContent,
  RowStream,
  SampleQuery,
  ScoreListQuery,
  ScoreSamples,
  ScoresPage,
  SlowCall,
  SpanContent,
  SpanFilter,
  SpanKey,
  SpanListQuery,
  SpansPage,
  Store,
  StoredScore,
  StoredSpan,
  Summary,
  SummaryQuery,
  Timeseries,
  TimeseriesQuery,
  Trace,
  WriteResult,
} from '../types.ts'
import {
  AGGREGATE_DEFAULTS,
  type AggregateOptions,
  errorsReport,
  summarise,
  timeseries,
} from './aggregates.ts'
import { AlertTables } from './alert-tables.ts'
import { decodeCursor, encodeCursor } from './cursor.ts'
import { migrate } from './migrations.ts'
import { OtlpTables } from './otlp-tables.ts'
import { deleteRollupsBefore, type RollupInput, Rollups, rollupInputOf } from './rollups.ts'
import { callSamples, scoreSamples, slowCalls } from './samples.ts'
import {
  rowToSpan,
  SPAN_COLUMNS,
  SPAN_SELECT,
  SPAN_SELECT_WITH_CONTENT,
  type SpanRow,
  spanToRow,
} from './span-rows.ts'
import { type SqlParam, spanWhere } from './where.ts'

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for tests. */
  path: string
  /** When summaries and time series switch from exact percentiles to rollup sketches. */
  aggregates?: Partial<AggregateOptions>
}

const SORT_COLUMNS = {
  startTime: 's.start_ms',
  durationMs: 's.duration_ms',
  costUsd: 'COALESCE(s.cost_usd, -1)',
}

/**
 * The embedded store: one writer connection and one reader connection on a WAL database, so an
 * export streaming a million rows never holds up a write, and a write never blocks a read.
 */
export class SqliteStore implements Store {
  private readonly writer: Database
  private readonly reader: Database
  private readonly insertSpan: Statement
  private readonly insertContent: Statement
  private readonly insertScore: Statement
  private readonly otlp: OtlpTables
  private readonly alerts: AlertTables
  private readonly rollups: Rollups
  private readonly aggregates: AggregateOptions
  readonly schema: { from: number; to: number }

  constructor(options: SqliteStoreOptions) {
    const memory = options.path === ':memory:'
    if (!memory) mkdirSync(dirname(options.path), { recursive: true })
    this.writer = new Database(options.path, { create: true, strict: true })
    // FULL makes a commit survive power loss, not only a crash of this process: the server
    // acknowledges a batch only after its commit, so the acknowledgement must mean it.
    this.writer.exec(
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000',
    )
    this.schema = migrate(this.writer)
    this.reader = memory
      ? this.writer
      : new Database(options.path, { readonly: true, strict: true })
    if (!memory) this.reader.exec('PRAGMA busy_timeout = 5000')

    const placeholders = SPAN_COLUMNS.map(() => '?').join(', ')
    this.insertSpan = this.writer.prepare(
      `INSERT OR IGNORE INTO spans (${SPAN_COLUMNS.join(', ')}) VALUES (${placeholders})`,
    )
    this.insertContent = this.writer.prepare(
      'INSERT INTO span_contents (span_rowid, input, output) VALUES (?, ?, ?)',
    )
    this.insertScore = this.writer.prepare(
      `INSERT OR IGNORE INTO scores (id, trace_id, span_id, name, value, label, source, comment, time_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.otlp = new OtlpTables(this.writer, this.reader)
    this.alerts = new AlertTables(this.writer, this.reader)
    this.rollups = new Rollups(this.writer)
    this.aggregates = { ...AGGREGATE_DEFAULTS, ...options.aggregates }
  }

  write(spans: readonly NewSpan[], scores: readonly StoredScore[]): WriteResult {
    const result: WriteResult = { newSpans: [], newScores: [] }
    const rollupInputs: RollupInput[] = []
    this.writer.transaction(() => {
      for (const span of spans) {
        const { changes, lastInsertRowid } = this.insertSpan.run(...spanToRow(span))
        if (changes === 0) continue
        result.newSpans.push(span)
        rollupInputs.push(rollupInputOf(span, Number(lastInsertRowid)))
        if (span.inputJson !== null || span.outputJson !== null) {
          this.insertContent.run(lastInsertRowid, span.inputJson, span.outputJson)
        }
      }
      for (const s of scores) {
        const { changes } = this.insertScore.run(
          s.id,
          s.traceId,
          s.spanId,
          s.name,
          s.value,
          s.label,
          s.source,
          s.comment,
          s.time,
        )
        if (changes > 0) result.newScores.push(s)
      }
    })()
    this.rollups.enqueue(rollupInputs)
    return result
  }

  summary(query: SummaryQuery): Summary {
    this.rollups.flush()
    return summarise(this.reader, query, this.aggregates)
  }

  timeseries(query: TimeseriesQuery): Timeseries {
    this.rollups.flush()
    return timeseries(this.reader, query, this.aggregates)
  }

  errors(filter: SpanFilter, recentLimit: number): ErrorsReport {
    return errorsReport(this.reader, filter, recentLimit)
  }

  spans(query: SpanListQuery): SpansPage {
    const where = spanWhere(query.filter)
    const clauses = [where.sql]
    const params: SqlParam[] = [...where.params]
    const sortColumn = SORT_COLUMNS[query.sort]
    const before = query.order === 'desc' ? '<' : '>'

    if (query.search !== null) {
      clauses.push(
        "(instr(lower(s.name), lower(?)) > 0 OR instr(lower(COALESCE(s.model, '')), lower(?)) > 0" +
          " OR instr(lower(COALESCE(s.endpoint, '')), lower(?)) > 0)",
      )
      params.push(query.search, query.search, query.search)
    }
    if (query.cursor !== null) {
      const [value, rowid] = decodeCursor(query.cursor)
      clauses.push(`(${sortColumn} ${before} ? OR (${sortColumn} = ? AND s.rowid ${before} ?))`)
      params.push(value, value, rowid)
    }

    const select = query.withContent ? SPAN_SELECT_WITH_CONTENT : SPAN_SELECT
    const join = query.withContent ? 'LEFT JOIN span_contents c ON c.span_rowid = s.rowid' : ''
    const direction = query.order === 'desc' ? 'DESC' : 'ASC'
    const rows = this.reader
      .query(
        `SELECT ${select}, s.rowid AS row_id, ${sortColumn} AS sort_value FROM spans s ${join}
         WHERE ${clauses.join(' AND ')}
         ORDER BY ${sortColumn} ${direction}, s.rowid ${direction} LIMIT ?`,
      )
      .all(...params, query.limit + 1) as (SpanRow & { row_id: number; sort_value: number })[]

    const page = rows.slice(0, query.limit)
    const last = page[page.length - 1]
    return {
      items: page.map(rowToSpan),
      nextCursor:
        rows.length > query.limit && last ? encodeCursor(last.sort_value, last.row_id) : null,
    }
  }

  trace(traceId: string): Trace | null {
    const rows = this.reader
      .query(
        `SELECT ${SPAN_SELECT_WITH_CONTENT} FROM spans s
         LEFT JOIN span_contents c ON c.span_rowid = s.rowid
         WHERE s.trace_id = ? ORDER BY s.start_ms, s.rowid`,
      )
      .all(traceId) as SpanRow[]
    const scores = this.scoreRows('WHERE trace_id = ? ORDER BY time_ms', [traceId])
    if (rows.length === 0 && scores.length === 0) return null

    const spans = rows.map(rowToSpan)
    const ids = new Set(spans.map((span) => span.spanId))
    const roots = spans
      .filter((span) => span.parentSpanId === null || !ids.has(span.parentSpanId))
      .map((span) => span.spanId)
    return { traceId, spans: parentsFirst(spans, roots), roots, scores }
  }

  scores(query: ScoreListQuery): ScoresPage {
    const { sql, params } = scoreWhere(query)
    const clauses = [sql]
    if (query.cursor !== null) {
      const [time, rowid] = decodeCursor(query.cursor)
      clauses.push('(time_ms < ? OR (time_ms = ? AND rowid < ?))')
      params.push(time, time, rowid)
    }
    const rows = this.reader
      .query(
        `SELECT *, rowid AS row_id FROM scores WHERE ${clauses.join(' AND ')}
         ORDER BY time_ms DESC, rowid DESC LIMIT ?`,
      )
      .all(...params, query.limit + 1) as (ScoreRow & { row_id: number })[]
    const page = rows.slice(0, query.limit)
    const last = page[page.length - 1]
    return {
      items: page.map(rowToScore),
      nextCursor:
        rows.length > query.limit && last ? encodeCursor(last.time_ms, last.row_id) : null,
    }
  }

  exportSpans(filter: SpanFilter): RowStream<StoredSpan> {
    const where = spanWhere(filter)
    // prepare, not query: query() hands every caller the same cached statement, so two exports
    // running at once would share one cursor and the second would invalidate the first.
    const statement = this.reader.prepare(
      `SELECT ${SPAN_SELECT_WITH_CONTENT} FROM spans s
       LEFT JOIN span_contents c ON c.span_rowid = s.rowid
       WHERE ${where.sql} ORDER BY s.start_ms, s.rowid`,
    )
    return rowStream(statement, where.params, (row) => rowToSpan(row as SpanRow))
  }

  exportScores(query: Omit<ScoreListQuery, 'limit' | 'cursor'>): RowStream<StoredScore> {
    const { sql, params } = scoreWhere(query)
    const statement = this.reader.prepare(
      `SELECT * FROM scores WHERE ${sql} ORDER BY time_ms, rowid`,
    )
    return rowStream(statement, params, (row) => rowToScore(row as ScoreRow))
  }

  deleteOlderThan(cutoffMs: number, rowsMax: number): number {
    // Queued spans are folded in first, or an old one could recreate a rollup row just deleted.
    this.rollups.flush()
    let deleted = 0
    this.writer.transaction(() => {
      const ids = this.writer
        .query('SELECT rowid AS id FROM spans WHERE start_ms < ? LIMIT ?')
        .values(cutoffMs, rowsMax)
        .map((row) => row[0] as number)
      if (ids.length > 0) {
        const list = ids.join(',')
        this.writer.run(`DELETE FROM span_contents WHERE span_rowid IN (${list})`)
        deleted += this.writer.run(`DELETE FROM spans WHERE rowid IN (${list})`).changes
      }
      // Scores get what the spans left of the slice, so one call never deletes more than rowsMax.
      deleted += this.writer.run(
        'DELETE FROM scores WHERE rowid IN (SELECT rowid FROM scores WHERE time_ms < ? LIMIT ?)',
        [cutoffMs, rowsMax - deleted],
      ).changes
      deleted += deleteRollupsBefore(this.writer, cutoffMs, rowsMax - deleted)
    })()
    return deleted
  }

  spanContents(keys: readonly SpanKey[]): SpanContent[] {
    return this.otlp.spanContents(keys)
  }

  writeContents(
    contents: readonly SpanContent[],
    parked: readonly ParkedContent[],
    parkedBeforeMs: number,
  ): void {
    this.otlp.writeContents(contents, parked, parkedBeforeMs)
  }

  takeParkedContents(keys: readonly SpanKey[]): ParkedContent[] {
    return this.otlp.takeParkedContents(keys)
  }

  writeGenAiMetricPoints(points: readonly GenAiMetricPoint[]): number {
    return this.otlp.writeGenAiMetricPoints(points)
  }

  genAiMetricPoints(query: GenAiMetricQuery): GenAiMetricPoint[] {
    return this.otlp.genAiMetricPoints(query)
  }

  callSamples(query: SampleQuery): CallSamples {
    return callSamples(this.reader, query)
  }

  scoreSamples(query: SampleQuery): ScoreSamples {
    return scoreSamples(this.reader, query)
  }

  slowCalls(filter: SpanFilter, durationMsMin: number, limit: number): SlowCall[] {
    return slowCalls(this.reader, filter, durationMsMin, limit)
  }

  alertRules(): AlertRule[] {
    return this.alerts.rules()
  }

  insertAlertRule(rule: AlertRule): boolean {
    return this.alerts.insertRule(rule, Date.now())
  }

  deleteAlertRule(id: string): boolean {
    return this.alerts.deleteRule(id)
  }

  appendAlertEvent(event: Omit<AlertEvent, 'id'>): AlertEvent {
    return this.alerts.appendEvent(event)
  }

  alertEvents(query: AlertHistoryQuery): AlertHistoryPage {
    return this.alerts.events(query)
  }

  lastAlertEvents(): AlertEvent[] {
    return this.alerts.lastEvents()
  }

  close(): void {
    this.rollups.close()
    if (this.reader !== this.writer) this.reader.close()
    this.writer.close()
  }

  private scoreRows(whereSql: string, params: SqlParam[]): StoredScore[] {
    const rows = this.reader.query(`SELECT * FROM scores ${whereSql}`).all(...params) as ScoreRow[]
    return rows.map(rowToScore)
  }
}

/**
 * Spans in start order are not parents first: a child often shares its parent's start
 * millisecond, and a remote child's clock may run early. Walks each root depth-first instead,
 * siblings in start order; spans caught in a parent cycle, which no root reaches, come last.
 */
function parentsFirst(spans: readonly StoredSpan[], roots: readonly string[]): StoredSpan[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]))
  const children = new Map<string, StoredSpan[]>()
  for (const span of spans) {
    if (span.parentSpanId === null || !byId.has(span.parentSpanId)) continue
    const siblings = children.get(span.parentSpanId)
    if (siblings === undefined) children.set(span.parentSpanId, [span])
    else siblings.push(span)
  }

  const ordered: StoredSpan[] = []
  const seen = new Set<string>()
  // An explicit stack, not recursion: an agent loop can nest spans thousands deep.
  const stack = roots.map((id) => byId.get(id) as StoredSpan).reverse()
  while (stack.length > 0) {
    const span = stack.pop() as StoredSpan
    if (seen.has(span.spanId)) continue
    seen.add(span.spanId)
    ordered.push(span)
    const below = children.get(span.spanId) ?? []
    for (let i = below.length - 1; i >= 0; i--) stack.push(below[i] as StoredSpan)
  }

  for (const span of spans) if (!seen.has(span.spanId)) ordered.push(span)
  return ordered
}

interface ScoreRow {
  id: string
  trace_id: string
  span_id: string | null
  name: string
  value: number | null
  label: string | null
  source: string
  comment: string | null
  time_ms: number
}

function rowToScore(row: ScoreRow): StoredScore {
  return {
    id: row.id,
    traceId: row.trace_id,
    spanId: row.span_id,
    name: row.name,
    value: row.value,
    label: row.label,
    source: row.source,
    comment: row.comment,
    time: row.time_ms,
  }
}

function scoreWhere(query: Omit<ScoreListQuery, 'limit' | 'cursor'>): {
  sql: string
  params: SqlParam[]
} {
  const clauses = ['time_ms >= ?', 'time_ms < ?']
  const params: SqlParam[] = [query.fromMs, query.toMs]
  if (query.traceId !== undefined) {
    clauses.push('trace_id = ?')
    params.push(query.traceId)
  }
  for (const [column, values] of [
    ['name', query.name],
    ['source', query.source],
  ] as const) {
    if (values === undefined || values.length === 0) continue
    clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`)
    params.push(...values)
  }
  return { sql: clauses.join(' AND '), params }
}

/** Rows of a statement one at a time; close() stops early and releases the statement. */
function rowStream<T>(
  statement: Statement,
  params: SqlParam[],
  map: (row: unknown) => T,
): RowStream<T> {
  const rows = statement.iterate(...params) as IterableIterator<unknown>
  let closed = false
  return {
    *[Symbol.iterator]() {
      for (const row of rows) {
        if (closed) return
        yield map(row)
      }
    },
    close() {
      closed = true
      rows.return?.()
      statement.finalize()
    },
  }
}
