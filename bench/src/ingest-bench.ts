import { Database } from 'bun:sqlite'
import { join } from 'node:path'
import { SPAN_COLUMNS, spanToRow } from '@llmlens/server/src/store/sqlite/span-rows.ts'
import { SqliteStore } from '@llmlens/server/src/store/sqlite/sqlite-store.ts'
import type { NewSpan } from '@llmlens/server/src/store/types.ts'
import type { IngestReply } from '@llmlens/spec'
import { idSegment, withIdSegment } from './bodies.ts'
import { type Breakdown, pipelineBreakdown } from './breakdown.ts'
import {
  type BenchServer,
  startBenchServer,
  startNoStoreServer,
  startTransportServer,
  withServer,
} from './servers.ts'
import { timed } from './stats.ts'
import { templateOf, type Workload } from './workload.ts'

/**
 * Batches sent before the clock starts: they compile the hot paths, fill the pricer's and the
 * name caches, and open the keep-alive connections, none of which a long-running server repeats.
 */
const WARMUP_BATCHES = 8

// The writer pragmas of SqliteStore's constructor. Only journal_mode is stored in the file, so a
// second connection must set synchronous itself to pay the same fsync on every commit.
const STORE_PRAGMAS =
  'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000'

export interface Throughput {
  spans: number
  seconds: number
  spansPerSecond: number
}

function throughput(spans: number, seconds: number): Throughput {
  return { spans, seconds, spansPerSecond: spans / seconds }
}

/** Runs `tasks` tasks with at most `concurrency` of them in flight. */
async function runPool(tasks: number, concurrency: number, task: (index: number) => Promise<void>) {
  let next = 0
  const worker = async () => {
    while (next < tasks) await task(next++)
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/**
 * Spans/s through POST /api/v1/ingest of `server`, `concurrency` requests in flight; the server
 * is stopped afterwards.
 */
export async function httpThroughput(
  server: BenchServer,
  workload: Workload,
  spansTotal: number,
  concurrency: number,
): Promise<Throughput> {
  return withServer(server, async ({ url }) => {
    const post = async (batchIndex: number) => {
      const template = templateOf(workload.bodies, batchIndex)
      const response = await fetch(`${url}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: template.body(batchIndex),
      })
      const reply = (await response.json()) as IngestReply
      if (response.status !== 200 || reply.accepted !== template.spanCount) {
        const shown = JSON.stringify(reply).slice(0, 400)
        throw new Error(`batch ${batchIndex} got HTTP ${response.status}: ${shown}`)
      }
    }

    await runPool(WARMUP_BATCHES, concurrency, post)
    const batches = Math.ceil(spansTotal / workload.batchSize)
    const startMs = performance.now()
    await runPool(batches, concurrency, (i) => post(WARMUP_BATCHES + i))
    return throughput(batches * workload.batchSize, (performance.now() - startMs) / 1000)
  })
}

/** Spans/s of SqliteStore.write alone, fed spans that are already validated and normalised. */
export function storeWriteThroughput(dbPath: string, workload: Workload, spansTotal: number) {
  const store = new SqliteStore({ path: dbPath })
  const batches = Math.ceil(spansTotal / workload.batchSize)
  let writeMs = 0
  try {
    for (let index = 0; index < WARMUP_BATCHES + batches; index++) {
      const spans = templateOf(workload.normalised, index).map((span) => withIdSegment(span, index))
      const { ms, value } = timed(() => store.write(spans, []))
      if (value.newSpans.length !== spans.length) {
        throw new Error(`store.write stored ${value.newSpans.length} of ${spans.length} spans`)
      }
      if (index >= WARMUP_BATCHES) writeMs += ms
    }
  } finally {
    store.close()
  }
  return throughput(batches * workload.batchSize, writeMs / 1000)
}

type Row = ReturnType<typeof spanToRow>
const TRACE_ID = SPAN_COLUMNS.indexOf('trace_id')
const SPAN_ID = SPAN_COLUMNS.indexOf('span_id')
const PARENT_SPAN_ID = SPAN_COLUMNS.indexOf('parent_span_id')

function rowsWithIds(rows: readonly Row[], batchIndex: number): Row[] {
  const segment = idSegment(batchIndex)
  return rows.map((row) => {
    const copy = row.slice()
    for (const column of [TRACE_ID, SPAN_ID, PARENT_SPAN_ID]) {
      const id = copy[column]
      if (typeof id === 'string') copy[column] = segment + id.slice(segment.length)
    }
    return copy
  })
}

/**
 * Spans/s of the floor: the store's own INSERT statements bound straight from prepared rows,
 * one transaction per batch, on a file whose schema the store created. Only the transaction
 * is timed; building the rows is not.
 */
export function rawInsertThroughput(dbPath: string, workload: Workload, spansTotal: number) {
  new SqliteStore({ path: dbPath }).close()
  const db = new Database(dbPath, { strict: true })
  try {
    db.exec(STORE_PRAGMAS)
    const mode = db.query('PRAGMA journal_mode').get() as { journal_mode: string }
    if (mode.journal_mode !== 'wal') throw new Error(`expected WAL, got ${mode.journal_mode}`)

    const placeholders = SPAN_COLUMNS.map(() => '?').join(', ')
    const insertSpan = db.prepare(
      `INSERT OR IGNORE INTO spans (${SPAN_COLUMNS.join(', ')}) VALUES (${placeholders})`,
    )
    const insertContent = db.prepare(
      'INSERT INTO span_contents (span_rowid, input, output) VALUES (?, ?, ?)',
    )
    const insertBatch = db.transaction((rows: Row[], spans: readonly NewSpan[]) => {
      rows.forEach((row, i) => {
        const { lastInsertRowid } = insertSpan.run(...row)
        const span = spans[i] as NewSpan
        if (span.inputJson === null && span.outputJson === null) return
        insertContent.run(lastInsertRowid, span.inputJson, span.outputJson)
      })
    })

    const rows = workload.normalised.map((batch) => batch.map(spanToRow))
    const batches = Math.ceil(spansTotal / workload.batchSize)
    let insertMs = 0
    for (let index = 0; index < WARMUP_BATCHES + batches; index++) {
      const batchRows = rowsWithIds(templateOf(rows, index), index)
      const { ms } = timed(() => insertBatch(batchRows, templateOf(workload.normalised, index)))
      if (index >= WARMUP_BATCHES) insertMs += ms
    }
    const stored = db.query('SELECT COUNT(*) AS n FROM spans').get() as { n: number }
    const expected = (WARMUP_BATCHES + batches) * workload.batchSize
    if (stored.n !== expected) throw new Error(`raw insert stored ${stored.n} of ${expected} spans`)
    return throughput(batches * workload.batchSize, insertMs / 1000)
  } finally {
    db.close()
  }
}

export interface IngestRun {
  batchSize: number
  concurrency: number
  /** The real server: HTTP, validation, normalisation, pricing and a durable SQLite commit. */
  http: Throughput
  /** The same app with a store that commits nothing: the HTTP path apart from SQLite. */
  httpNoStore: Throughput
  /** Bun.serve reading the bodies and sending a fixed reply: the transport alone. */
  transport: Throughput
  storeWrite: Throughput
  rawInsert: Throughput
  /** Stage by stage, on the database the store.write run filled; only when asked for. */
  breakdown: Breakdown | null
}

/**
 * Every way in for one batch size, the floor first, each on a fresh database. The breakdown
 * continues on the store.write run's file, so that its commits meet a table of the size the
 * HTTP run's commits meet.
 */
export async function ingestRun(
  dir: string,
  workload: Workload,
  spansTotal: number,
  concurrency: number,
  breakdownRepeats: number,
): Promise<IngestRun> {
  const file = (what: string) => join(dir, `${what}-${workload.batchSize}.db`)
  const rawInsert = rawInsertThroughput(file('raw'), workload, spansTotal)
  const storeWrite = storeWriteThroughput(file('store'), workload, spansTotal)
  const breakdown =
    breakdownRepeats > 0 ? pipelineBreakdown(file('store'), workload, breakdownRepeats) : null
  const run = (server: BenchServer) => httpThroughput(server, workload, spansTotal, concurrency)
  const transport = await run(startTransportServer(workload.batchSize))
  const httpNoStore = await run(startNoStoreServer())
  const http = await run(startBenchServer(file('http')))
  return {
    batchSize: workload.batchSize,
    concurrency,
    http,
    httpNoStore,
    transport,
    storeWrite,
    rawInsert,
    breakdown,
  }
}
