import { Database } from 'bun:sqlite'
import { createPricer } from '@llmlens/server/src/pricing/index.ts'
import { SqliteStore } from '@llmlens/server/src/store/sqlite/sqlite-store.ts'
import type { NewSpan, StoredScore } from '@llmlens/server/src/store/types.ts'
import { TEMPLATE_ID_SEGMENT, withIdSegment } from './bodies.ts'
import { generateSpans, seededRandom } from './spans.ts'
import { median, timed } from './stats.ts'
import { progress } from './temp.ts'
import { BASE_MS, normaliseOrThrow, templateOf } from './workload.ts'

/** store.write batch size for filling; large batches keep the fill to a few seconds. */
const FILL_BATCH_SIZE = 5_000
const FILL_TEMPLATES = 4
/** The largest fill covers a week of traffic, a dashboard's common widest view. */
const RANGE_MS = 7 * 24 * 3_600_000
/** About one call in twenty gets a user rating, so the summary's score join has work to do. */
const SCORED_SHARE = 0.05

export interface SummaryPoint {
  spans: number
  runs: number
  summaryMsMedian: number
  /** SELECT COUNT(*), SUM(duration_ms) FROM spans: one pass over the same rows. */
  baselineMsMedian: number
  /** The baseline with the summary's time-range WHERE clause, to show how the plan changes. */
  rangeBaselineMsMedian: number
  rangeBaselinePlan: string
}

interface FillBatch {
  spans: NewSpan[]
  scored: { index: number; value: number }[]
}

/**
 * Normalised spans for filling, without prompts and completions: those live in span_contents,
 * which no summary reads, and leaving them out keeps a million-span fill fast and small.
 */
function fillTemplates(windowMs: number, seed: number): FillBatch[] {
  const pricer = createPricer()
  return Array.from({ length: FILL_TEMPLATES }, (_, t) => {
    const options = {
      seed: seed + t,
      startMs: BASE_MS,
      spreadMs: windowMs,
      idSegment: TEMPLATE_ID_SEGMENT,
    }
    const spans = generateSpans(FILL_BATCH_SIZE, options).map((span, i) => ({
      ...normaliseOrThrow(span, i, pricer),
      input: null,
      output: null,
      inputJson: null,
      outputJson: null,
    }))
    const random = seededRandom(seed + 1_000 + t)
    const scored = spans.flatMap((_, index) =>
      random() < SCORED_SHARE ? [{ index, value: Math.round(random() * 10) / 10 }] : [],
    )
    return { spans, scored }
  })
}

/** Batch `index` of the fill: fresh ids, and times moved into the batch's own window. */
function fillBatch(template: FillBatch, index: number, windowMs: number) {
  const shiftMs = index * windowMs
  const spans = template.spans.map((span) => {
    const moved = withIdSegment(span, index)
    moved.startTime += shiftMs
    moved.endTime += shiftMs
    return moved
  })
  const scores = template.scored.map(({ index: at, value }): StoredScore => {
    const span = spans[at] as NewSpan
    const id = `${span.traceId}:${span.spanId}:helpfulness:user`
    return {
      id,
      traceId: span.traceId,
      spanId: span.spanId,
      name: 'helpfulness',
      value,
      label: null,
      source: 'user',
      comment: null,
      time: span.endTime + 5_000,
    }
  })
  return { spans, scores }
}

interface Measure {
  spans: number
  fromMs: number
  toMs: number
  runs: number
}

function measure(store: SqliteStore, reader: Database, at: Measure): SummaryPoint {
  const { spans, fromMs, toMs, runs } = at
  const all = reader.query('SELECT COUNT(*) AS n, SUM(duration_ms) AS d FROM spans')
  const rangeSql =
    'SELECT COUNT(*) AS n, SUM(s.duration_ms) AS d FROM spans s ' +
    'WHERE s.start_ms >= ? AND s.start_ms < ?'
  const range = reader.query(rangeSql)
  const plan = reader.query(`EXPLAIN QUERY PLAN ${rangeSql}`).all(fromMs, toMs) as {
    detail: string
  }[]
  const query = { filter: { fromMs, toMs }, groupBy: ['model' as const] }

  const times = { summary: [] as number[], all: [] as number[], range: [] as number[] }
  // The first round only warms the page cache and the statement caches.
  for (let run = -1; run < runs; run++) {
    const summary = timed(() => store.summary(query))
    const baseline = timed(() => all.get() as { n: number })
    const ranged = timed(() => range.get(fromMs, toMs) as { n: number })
    const counts = [summary.value.total.count, baseline.value.n, ranged.value.n]
    if (counts.some((n) => n !== spans)) {
      throw new Error(`expected ${spans} spans, counted ${counts.join(', ')}`)
    }
    if (run < 0) continue
    times.summary.push(summary.ms)
    times.all.push(baseline.ms)
    times.range.push(ranged.ms)
  }
  return {
    spans,
    runs,
    summaryMsMedian: median(times.summary),
    baselineMsMedian: median(times.all),
    rangeBaselineMsMedian: median(times.range),
    rangeBaselinePlan: plan.map((row) => row.detail).join('; '),
  }
}

/**
 * store.summary grouped by model over everything stored, at each size in `sizes`: one database
 * is filled up to each size in turn, and measured there.
 */
export function runSummaryBench(
  dbPath: string,
  sizes: readonly number[],
  runs: number,
  seed: number,
): SummaryPoint[] {
  const sorted = [...sizes].sort((a, b) => a - b)
  const largest = sorted[sorted.length - 1] ?? 0
  const bad = sorted.find((size) => size <= 0 || size % FILL_BATCH_SIZE !== 0)
  if (bad !== undefined)
    throw new Error(
      `summary sizes must be positive multiples of ${FILL_BATCH_SIZE} (actual: ${bad})`,
    )

  const windowMs = Math.floor(RANGE_MS / (largest / FILL_BATCH_SIZE))
  const templates = fillTemplates(windowMs, seed)
  const store = new SqliteStore({ path: dbPath })
  const reader = new Database(dbPath, { readonly: true, strict: true })
  const points: SummaryPoint[] = []
  let batches = 0
  try {
    for (const size of sorted) {
      const fill = timed(() => {
        for (; batches * FILL_BATCH_SIZE < size; batches++) {
          const { spans, scores } = fillBatch(templateOf(templates, batches), batches, windowMs)
          store.write(spans, scores)
        }
      })
      progress(`summary: filled to ${size} spans in ${(fill.ms / 1000).toFixed(1)} s`)
      // One window past the last batch: a child span may start a little after its root's window.
      const toMs = BASE_MS + (batches + 1) * windowMs
      points.push(measure(store, reader, { spans: size, fromMs: BASE_MS, toMs, runs }))
    }
  } finally {
    reader.close()
    store.close()
  }
  return points
}
