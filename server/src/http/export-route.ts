import { StoredScoreSchema, StoredSpanSchema } from '@llmlens/spec'
import type { Hono } from 'hono'
import type { RowStream, Store, StoredScore, StoredSpan } from '../store/types.ts'
import { FILTER_PARAMS, GROUP_BY_PARAM, type ParamSpecs, parseQuery, toFilter } from './params.ts'
import { autoStepMs } from './read-routes.ts'
import type { RouteDoc } from './route-docs.ts'
import { csvLine, flatten } from './tabular.ts'

// Here `kind` names what to export, so the span-kind filter is not offered.
const { kind: _spanKind, ...EXPORT_FILTERS } = FILTER_PARAMS

const EXPORT_PARAMS = {
  ...EXPORT_FILTERS,
  ...GROUP_BY_PARAM,
  format: {
    type: 'enum',
    values: ['ndjson', 'json', 'csv'],
    default: 'ndjson',
    description: 'File format',
  },
  kind: {
    type: 'enum',
    values: ['spans', 'scores', 'metrics'],
    default: 'spans',
    description: 'What to export; metrics are the time-series buckets of the filter',
  },
  stepMs: {
    type: 'int',
    min: 0,
    max: 31 * 86_400_000,
    default: 0,
    description: 'Bucket width for kind=metrics',
  },
  content: { type: 'bool', default: true, description: 'Include prompts and completions' },
} as const satisfies ParamSpecs

export const EXPORT_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/v1/export',
    summary: 'Spans, scores or metrics of a filter as CSV, JSON or NDJSON, streamed',
    params: EXPORT_PARAMS,
    response: {
      contentType: 'application/x-ndjson',
      description: 'One row per line (or a JSON array, or CSV with a header)',
    },
    errors: [400, 401],
  },
]

const CONTENT_TYPES = {
  ndjson: 'application/x-ndjson',
  json: 'application/json',
  csv: 'text/csv; charset=utf-8',
}

// Rows per pull: enough to amortise a chunk's overhead, few enough that one pull stays under a
// few milliseconds so ingest keeps running while a large export streams.
const ROWS_PER_CHUNK = 500

/**
 * Streams rows in the chosen format, pulling from the store only as fast as the client reads,
 * so a million-row export holds one chunk in memory, not a million rows.
 */
function stream(
  rows: RowStream<object>,
  format: 'ndjson' | 'json' | 'csv',
  columnNames: readonly string[],
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const iterator = rows[Symbol.iterator]()
  // The CSV header comes from the row shape, not the first row, so an empty export still has
  // one and every row has the same columns.
  const columns = Object.keys(flatten(Object.fromEntries(columnNames.map((name) => [name, null]))))
  let first = true
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      let text = ''
      for (let i = 0; i < ROWS_PER_CHUNK; i++) {
        const next = iterator.next()
        if (next.done) {
          if (format === 'json') text += first ? '[]\n' : '\n]\n'
          if (format === 'csv' && first) text += csvLine(columns)
          if (text !== '') controller.enqueue(encoder.encode(text))
          rows.close()
          controller.close()
          return
        }
        if (format === 'ndjson') text += `${JSON.stringify(next.value)}\n`
        else if (format === 'json') text += `${first ? '[\n' : ',\n'}${JSON.stringify(next.value)}`
        else {
          const flat = flatten(next.value)
          if (first) text += csvLine(columns)
          text += csvLine(columns.map((column) => flat[column]))
        }
        first = false
      }
      controller.enqueue(encoder.encode(text))
    },
    cancel() {
      rows.close()
    },
  })
}

const METRICS_COLUMNS = [
  'time',
  'count',
  'errorCount',
  'errorRate',
  'latencyMs',
  'ttftMs',
  'usage',
  'costUsd',
]

function fromArray<T>(items: T[]): RowStream<T> {
  return Object.assign(items, { close() {} })
}

export function exportRoutes(app: Hono, store: Store): void {
  app.get('/api/v1/export', (c) => {
    const p = parseQuery(c.req.queries(), EXPORT_PARAMS)
    const { kind: _dataset, ...filterParams } = p
    const filter = toFilter(filterParams, Date.now())
    let rows: RowStream<object>
    let columns: string[]
    if (p.kind === 'spans') {
      const all = Object.keys(StoredSpanSchema.properties)
      columns = p.content ? all : all.filter((name) => name !== 'input' && name !== 'output')
      const spans = store.exportSpans(filter)
      const iterate = p.content
        ? spans
        : mapRows(spans, ({ input: _i, output: _o, ...rest }: StoredSpan) => rest)
      rows = iterate
    } else if (p.kind === 'scores') {
      columns = Object.keys(StoredScoreSchema.properties)
      rows = store.exportScores({
        fromMs: filter.fromMs,
        toMs: filter.toMs,
      }) as RowStream<StoredScore>
    } else {
      const stepMs = p.stepMs === 0 ? autoStepMs(filter.toMs - filter.fromMs) : p.stepMs
      const series = store.timeseries({ filter, groupBy: p.groupBy as never, stepMs }).series
      columns = [...p.groupBy, ...METRICS_COLUMNS]
      rows = fromArray(series.flatMap((s) => s.points.map((point) => ({ ...s.key, ...point }))))
    }
    const name = `llmlens-${p.kind}-${new Date(filter.fromMs).toISOString().slice(0, 10)}.${p.format}`
    return new Response(stream(rows, p.format, columns), {
      headers: {
        'content-type': CONTENT_TYPES[p.format],
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      },
    })
  })
}

function mapRows<T, U>(rows: RowStream<T>, map: (row: T) => U): RowStream<U> {
  return {
    *[Symbol.iterator]() {
      for (const row of rows) yield map(row)
    },
    close: () => rows.close(),
  }
}
