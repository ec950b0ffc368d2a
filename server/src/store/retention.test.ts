import { describe, expect, test } from 'bun:test'
import { type Harness, harness } from '../testing/harness.ts'
import { startRetention } from './retention.ts'

const DAY_MS = 86_400_000
// The clock retention reads: 2026-01-15T12:00:00Z. With 30 days kept, the cutoff is
// 2025-12-16T12:00:00Z; anything that started before it goes.
const NOW = Date.UTC(2026, 0, 15, 12)
const CUTOFF = NOW - 30 * DAY_MS
const EVERYTHING = { fromMs: 0, toMs: 1e15 }

const traceId = (n: number) => n.toString(16).padStart(32, '0')

function span(n: number, startMs: number) {
  return {
    traceId: traceId(n),
    spanId: n.toString(16).padStart(16, '0'),
    name: `call ${n}`,
    startTime: startMs,
    endTime: startMs + 100,
    model: 'gpt-4o',
    usage: { inputTokens: 10, outputTokens: 5 },
    costUsd: 0.5,
    input: [{ role: 'user', content: `question ${n}` }],
  }
}

/** Sends spans in requests of at most 10,000, the largest one ingest takes. */
async function ingest(h: Harness, spans: object[], scores: object[] = []): Promise<void> {
  for (let i = 0; i < Math.max(spans.length, 1); i += 10_000) {
    const reply = await h.post('/api/v1/ingest', {
      spans: spans.slice(i, i + 10_000),
      scores: i === 0 ? scores : [],
    })
    expect(reply.body).toMatchObject({ rejected: [] })
  }
}

const storedNames = (h: Harness) =>
  h.store
    .spans({
      filter: EVERYTHING,
      sort: 'startTime',
      order: 'asc',
      limit: 1000,
      cursor: null,
      search: null,
      withContent: false,
    })
    .items.map((s) => s.name)

const retentionLines = (h: Harness) => h.log.lines.filter((line) => line.includes('retention'))

describe('startRetention', () => {
  test('sweeps at start: spans and scores older than the cutoff go, the rest stays', async () => {
    const h = harness()
    await ingest(
      h,
      [span(1, CUTOFF - 11 * DAY_MS), span(2, CUTOFF - 1), span(3, CUTOFF), span(4, NOW - DAY_MS)],
      [
        { traceId: traceId(1), name: 'thumbs', label: 'down', time: CUTOFF - 10 * DAY_MS },
        { traceId: traceId(4), name: 'thumbs', label: 'up', time: NOW - DAY_MS },
      ],
    )

    const retention = startRetention(h.store, 30, h.log, () => NOW)
    const deleted = await retention.sweep()
    retention.stop()

    // Two spans and a score, and the minute and hour rollups of both spans.
    expect(deleted).toBe(3 + 4)
    expect(storedNames(h)).toEqual(['call 3', 'call 4'])
    expect(h.store.trace(traceId(1))).toBeNull()
    expect(h.store.trace(traceId(4))?.scores.map((s) => s.label)).toEqual(['up'])
    expect(retentionLines(h)).toEqual([
      expect.stringMatching(
        / level=info msg="retention deleted old data" rows=7 olderThan=2025-12-16T12:00:00.000Z$/,
      ),
    ])
  })

  test('a sweep with nothing old deletes nothing and logs nothing', async () => {
    const h = harness()
    await ingest(h, [span(1, CUTOFF), span(2, NOW)])

    const retention = startRetention(h.store, 30, h.log, () => NOW)
    const first = await retention.sweep()
    const second = await retention.sweep()
    retention.stop()

    expect([first, second]).toEqual([0, 0])
    expect(storedNames(h)).toEqual(['call 1', 'call 2'])
    expect(retentionLines(h)).toEqual([])
  })

  test('clears a backlog of 12,000 spans in slices of 5,000, logged once', async () => {
    const h = harness()
    const backlog = Array.from({ length: 12_000 }, (_, i) => span(i + 1, CUTOFF - DAY_MS + i))
    await ingest(h, [...backlog, span(20_000, NOW)])

    const retention = startRetention(h.store, 30, h.log, () => NOW)
    const deleted = await retention.sweep()
    retention.stop()

    // The backlog spans 12 seconds: one minute and one hour rollup row go with it.
    expect(deleted).toBe(12_000 + 2)
    expect(storedNames(h)).toEqual(['call 20000'])
    expect(retentionLines(h).length).toBe(1)
    expect(retentionLines(h)[0]).toContain(' rows=12002 ')
  })

  test('stop() ends a sweep at the next slice', async () => {
    const h = harness()
    await ingest(
      h,
      Array.from({ length: 12_000 }, (_, i) => span(i + 1, CUTOFF - DAY_MS + i)),
    )

    // The first slice runs before startRetention returns; the sweep then pauses between slices.
    const retention = startRetention(h.store, 30, h.log, () => NOW)
    retention.stop()
    const deleted = await retention.sweep()

    expect(deleted).toBe(5_000)
    expect(h.store.summary({ filter: EVERYTHING, groupBy: [] }).total.count).toBe(7_000)
  })
})
