import { Database } from 'bun:sqlite'
import { afterEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { NewSpan, StoredScore, StoredSpan } from '../types.ts'
import { SCHEMA_VERSION } from './migrations.ts'
import { SqliteStore } from './sqlite-store.ts'

const DAY_MS = 86_400_000
const T = Date.UTC(2026, 0, 15, 12)
const EVERYTHING = { fromMs: 0, toMs: 1e15 }

/** A stored-shape span as ingest hands it to the store, its content serialised once. */
function newSpan(n: number, startMs: number, fields: Partial<StoredSpan> = {}): NewSpan {
  const span: StoredSpan = {
    traceId: n.toString(16).padStart(32, '0'),
    spanId: n.toString(16).padStart(16, '0'),
    parentSpanId: null,
    name: `call ${n}`,
    kind: 'llm',
    startTime: startMs,
    endTime: startMs + 100,
    durationMs: 100,
    provider: 'openai',
    model: 'gpt-4o',
    modelFamily: 'gpt-4o',
    requestModel: null,
    endpoint: '/chat',
    status: 'ok',
    error: null,
    usage: {
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
    },
    costUsd: 0.5,
    costEstimated: false,
    timeToFirstTokenMs: null,
    finishReason: 'stop',
    userId: null,
    sessionId: null,
    environment: 'production',
    release: null,
    tags: [],
    metadata: {},
    input: [{ role: 'user', content: `question ${n}` }],
    output: { role: 'assistant', content: `answer ${n}` },
    ...fields,
  }
  const json = (value: unknown) => (value === null ? null : JSON.stringify(value))
  return { ...span, inputJson: json(span.input), outputJson: json(span.output) }
}

function newScore(id: string, traceN: number, timeMs: number): StoredScore {
  return {
    id,
    traceId: traceN.toString(16).padStart(32, '0'),
    spanId: null,
    name: 'helpfulness',
    value: 0.5,
    label: null,
    source: 'user',
    comment: null,
    time: timeMs,
  }
}

const stored = ({ inputJson: _input, outputJson: _output, ...span }: NewSpan): StoredSpan => span

const directories: string[] = []
afterEach(() => {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A database file in a fresh directory, removed after the test. */
function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmlens-store-'))
  directories.push(dir)
  return join(dir, 'nested', 'llmlens.db')
}

/** Rows of a table as a second connection sees them: what is on disk, not what a cache says. */
function countRows(path: string, table: string): number {
  const db = new Database(path, { readonly: true })
  const row = db.query(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }
  db.close()
  return row.n
}

describe('SqliteStore.write', () => {
  test('a span reads back field for field, content included', () => {
    const store = new SqliteStore({ path: ':memory:' })
    const span = newSpan(1, T, {
      parentSpanId: 'a1b2c3d4e5f60718',
      status: 'error',
      error: {
        type: 'rate_limit',
        message: 'slow down',
        httpStatus: 429,
        rawType: 'RateLimitError',
      },
      usage: {
        inputTokens: 1200,
        outputTokens: 80,
        cacheReadTokens: 1000,
        cacheWriteTokens: 0,
        reasoningTokens: 30,
      },
      costUsd: null,
      costEstimated: true,
      timeToFirstTokenMs: 212.5,
      tags: ['beta', 'eu'],
      metadata: { feature: 'summaries', retries: 2, cached: true, note: null },
      startTime: T + 0.25,
    })

    store.write([span], [])

    expect(store.trace(span.traceId)?.spans).toEqual([stored(span)])
  })

  test('the same span twice is one row; the second write reports nothing new', () => {
    const store = new SqliteStore({ path: ':memory:' })
    const first = newSpan(1, T)
    const resent = newSpan(1, T, { output: { role: 'assistant', content: 'a different answer' } })

    const once = store.write([first], [newScore('s-1', 1, T)])
    const twice = store.write([resent], [newScore('s-1', 1, T)])
    const inOneBatch = store.write([newSpan(2, T), newSpan(2, T)], [])

    expect([once.newSpans.length, once.newScores.length]).toEqual([1, 1])
    expect(twice).toEqual({ newSpans: [], newScores: [] })
    expect(inOneBatch.newSpans.map((s) => s.spanId)).toEqual([newSpan(2, T).spanId])
    expect(
      store
        .spans({
          filter: EVERYTHING,
          sort: 'startTime',
          order: 'asc',
          limit: 10,
          cursor: null,
          search: null,
          withContent: true,
        })
        .items.map((s) => s.output),
    ).toEqual([first.output, newSpan(2, T).output])
    expect(store.scores({ ...EVERYTHING, limit: 10, cursor: null }).items.length).toBe(1)
  })

  test('the same span id in another trace is another span', () => {
    const store = new SqliteStore({ path: ':memory:' })
    const other = newSpan(1, T, { traceId: 'f'.repeat(32) })

    expect(store.write([newSpan(1, T), other], []).newSpans.length).toBe(2)
  })
})

describe('SqliteStore.exportSpans', () => {
  test('close() ends an export early; the store goes on reading and writing', () => {
    const store = new SqliteStore({ path: ':memory:' })
    store.write(
      [1, 2, 3].map((n) => newSpan(n, T + n)),
      [],
    )

    const rows = store.exportSpans(EVERYTHING)
    const iterator = rows[Symbol.iterator]()
    const first = iterator.next()
    rows.close()

    expect(first.value?.name).toBe('call 1')
    expect(iterator.next().done).toBe(true)
    store.write([newSpan(4, T + 4)], [])
    expect([...store.exportSpans(EVERYTHING)].map((s) => s.name)).toEqual([
      'call 1',
      'call 2',
      'call 3',
      'call 4',
    ])
  })
})

describe('SqliteStore.deleteOlderThan', () => {
  const cutoffMs = T - 30 * DAY_MS

  function withHistory(path: string): SqliteStore {
    const store = new SqliteStore({ path })
    // Five spans before the cutoff, one exactly at it, two after; scores likewise.
    const old = [40, 35, 33, 31, 30.5].map((days, i) => newSpan(i + 1, T - days * DAY_MS))
    const kept = [newSpan(6, cutoffMs), newSpan(7, T - DAY_MS), newSpan(8, T)]
    const scores = [
      newScore('old-1', 1, cutoffMs - 1),
      newScore('old-2', 2, cutoffMs - DAY_MS),
      newScore('old-3', 7, cutoffMs - 2 * DAY_MS),
      newScore('at-cutoff', 6, cutoffMs),
      newScore('new', 8, T),
    ]
    store.write([...old, ...kept], scores)
    return store
  }

  test('deletes spans, their content and scores before the cutoff, and nothing from it on', () => {
    const path = dbFile()
    const store = withHistory(path)

    // 5 spans, 3 scores, and the minute and hour rollups of the 5 spans (on 5 different days).
    expect(store.deleteOlderThan(cutoffMs, 1000)).toBe(5 + 3 + 5 + 5)

    const spans = store.spans({
      filter: EVERYTHING,
      sort: 'startTime',
      order: 'asc',
      limit: 100,
      cursor: null,
      search: null,
      withContent: true,
    })
    expect(spans.items.map((s) => s.name)).toEqual(['call 6', 'call 7', 'call 8'])
    expect(spans.items.map((s) => s.output)).toEqual(
      [6, 7, 8].map((n) => ({ role: 'assistant', content: `answer ${n}` })),
    )
    expect(
      store.scores({ ...EVERYTHING, limit: 100, cursor: null }).items.map((s) => s.id),
    ).toEqual(['new', 'at-cutoff'])
    expect(countRows(path, 'spans')).toBe(3)
    expect(countRows(path, 'span_contents')).toBe(3)
    expect(countRows(path, 'scores')).toBe(2)
    expect([countRows(path, 'rollups_minute'), countRows(path, 'rollups_hour')]).toEqual([3, 3])
    expect(store.deleteOlderThan(cutoffMs, 1000)).toBe(0)
    store.close()
  })

  test('deletes at most rowsMax rows a call, spans first, until nothing old is left', () => {
    const path = dbFile()
    const store = withHistory(path)

    const slices = Array.from({ length: 10 }, () => store.deleteOlderThan(cutoffMs, 2))

    // 5 old spans, 3 old scores, then 10 rollup rows: 2 spans, 2 spans, 1 span + 1 score,
    // 2 scores, five slices of 2 rollups, nothing.
    expect(slices).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 0])
    expect([
      countRows(path, 'spans'),
      countRows(path, 'span_contents'),
      countRows(path, 'scores'),
    ]).toEqual([3, 3, 2])
    store.close()
  })
})

describe('schema migrations', () => {
  test('a new file is created, put in WAL mode and migrated once to the latest version', () => {
    const path = dbFile()

    const created = new SqliteStore({ path })
    created.write([newSpan(1, T)], [])
    created.close()
    const reopened = new SqliteStore({ path })

    expect(created.schema).toEqual({ from: 0, to: SCHEMA_VERSION })
    expect(reopened.schema).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION })
    expect(reopened.trace(newSpan(1, T).traceId)?.spans.length).toBe(1)
    const db = new Database(path, { readonly: true })
    expect(db.query('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION })
    expect(db.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
    db.close()
    reopened.close()
  })

  test('a database from a newer llmlens is refused, with what to do about it', () => {
    const path = dbFile()
    new SqliteStore({ path }).close()
    const db = new Database(path)
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
    db.close()

    expect(() => new SqliteStore({ path })).toThrow(
      `database schema version ${SCHEMA_VERSION + 1} is newer than this llmlens understands ` +
        `(${SCHEMA_VERSION}); ` +
        'upgrade llmlens or point LLMLENS_DB at another file',
    )
  })
})
