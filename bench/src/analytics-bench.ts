import { createApp } from '@llmlens/server/src/http/app.ts'
import { createIngest } from '@llmlens/server/src/ingest/ingest.ts'
import { createLogger } from '@llmlens/server/src/log.ts'
import { createPricer } from '@llmlens/server/src/pricing/index.ts'
import { Hub } from '@llmlens/server/src/realtime/hub.ts'
import { SqliteStore } from '@llmlens/server/src/store/sqlite/sqlite-store.ts'
import type { NewSpan } from '@llmlens/server/src/store/types.ts'
import type { Anomalies, Compare } from '@llmlens/spec'
import type { Hono } from 'hono'
import { TEMPLATE_ID_SEGMENT, withIdSegment } from './bodies.ts'
import { generateSpans } from './spans.ts'
import { median, timed } from './stats.ts'
import { progress } from './temp.ts'
import { BASE_MS, normaliseOrThrow, templateOf } from './workload.ts'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** Every fill covers a week, so a day holds a seventh of what is stored, as a dashboard sees it. */
const RANGE_MS = 7 * DAY_MS
const FILL_BATCH_SIZE = 5_000
const FILL_TEMPLATES = 4
/** The two busiest models of the generated traffic. */
const ARMS = { a: 'gpt-4o-mini', b: 'gpt-4o' }

export interface AnalyticsPoint {
  spans: number
  runs: number
  /** GET /api/v1/anomalies over the last 24 h, grouped by model, single-call flags included. */
  anomaliesMsMedian: number
  anomaliesSpansInRange: number
  anomaliesFound: number
  /** GET /api/v1/metrics/summary?groupBy=model over the same 24 h, for scale. */
  summaryDayMsMedian: number
  /** GET /api/v1/compare over the last hour, model a against model b. */
  compareMsMedian: number
  compareSpansInArms: number
  /** GET /api/v1/metrics/summary over the same hour. */
  summaryHourMsMedian: number
}

/** Normalised spans without content, spread over a window; moved in time per batch. */
function templates(windowMs: number, seed: number): NewSpan[][] {
  const pricer = createPricer()
  return Array.from({ length: FILL_TEMPLATES }, (_, t) =>
    generateSpans(FILL_BATCH_SIZE, {
      seed: seed + t,
      startMs: BASE_MS,
      spreadMs: windowMs,
      idSegment: TEMPLATE_ID_SEGMENT,
    }).map((span, i) => ({
      ...normaliseOrThrow(span, i, pricer),
      input: null,
      output: null,
      inputJson: null,
      outputJson: null,
    })),
  )
}

function fill(store: SqliteStore, size: number, seed: number): void {
  const batches = size / FILL_BATCH_SIZE
  const windowMs = Math.floor(RANGE_MS / batches)
  const shapes = templates(windowMs, seed)
  for (let batch = 0; batch < batches; batch++) {
    const spans = templateOf(shapes, batch).map((span) => {
      const moved = withIdSegment(span, batch)
      moved.startTime += batch * windowMs
      moved.endTime += batch * windowMs
      return moved
    })
    store.write(spans, [])
  }
}

async function timedRequest<T>(app: Hono, path: string): Promise<{ ms: number; body: T }> {
  const start = performance.now()
  const response = await app.request(path)
  const body = (await response.json()) as T
  const ms = performance.now() - start
  if (response.status !== 200)
    throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body)}`)
  return { ms, body }
}

async function measure(app: Hono, spans: number, runs: number): Promise<AnalyticsPoint> {
  const endMs = BASE_MS + RANGE_MS
  const day = `from=${endMs - DAY_MS}&to=${endMs}`
  const hour = `from=${endMs - HOUR_MS}&to=${endMs}`
  const times = {
    anomalies: [] as number[],
    summaryDay: [] as number[],
    compare: [] as number[],
    summaryHour: [] as number[],
  }
  let anomalies: Anomalies | null = null
  let compare: Compare | null = null
  let daySpans = 0
  // The first round only warms the page cache and the statement caches.
  for (let run = -1; run < runs; run++) {
    const a = await timedRequest<Anomalies>(app, `/api/v1/anomalies?${day}`)
    const s = await timedRequest<{ total: { count: number } }>(
      app,
      `/api/v1/metrics/summary?${day}&groupBy=model`,
    )
    const c = await timedRequest<Compare>(
      app,
      `/api/v1/compare?${hour}&dimension=model&a=${ARMS.a}&b=${ARMS.b}`,
    )
    const h = await timedRequest<unknown>(app, `/api/v1/metrics/summary?${hour}&groupBy=model`)
    anomalies = a.body
    compare = c.body
    daySpans = s.body.total.count
    if (run < 0) continue
    times.anomalies.push(a.ms)
    times.summaryDay.push(s.ms)
    times.compare.push(c.ms)
    times.summaryHour.push(h.ms)
  }
  return {
    spans,
    runs,
    anomaliesMsMedian: median(times.anomalies),
    anomaliesSpansInRange: daySpans,
    anomaliesFound: anomalies?.anomalies.length ?? 0,
    summaryDayMsMedian: median(times.summaryDay),
    compareMsMedian: median(times.compare),
    compareSpansInArms: (compare?.a.count ?? 0) + (compare?.b.count ?? 0),
    summaryHourMsMedian: median(times.summaryHour),
  }
}

/**
 * Anomalies over a day and a comparison over an hour, through the HTTP routes in-process, on a
 * store filled with a week of generated traffic at each size in `sizes` (each its own file).
 */
export async function runAnalyticsBench(
  dir: string,
  sizes: readonly number[],
  runs: number,
  seed: number,
): Promise<AnalyticsPoint[]> {
  const points: AnalyticsPoint[] = []
  for (const size of sizes) {
    if (size <= 0 || size % FILL_BATCH_SIZE !== 0) {
      throw new Error(
        `analytics sizes must be positive multiples of ${FILL_BATCH_SIZE} (actual: ${size})`,
      )
    }
    const store = new SqliteStore({ path: `${dir}/analytics-${size}.db` })
    try {
      const filled = timed(() => fill(store, size, seed))
      progress(`analytics: filled ${size} spans in ${(filled.ms / 1000).toFixed(1)} s`)
      const hub = new Hub()
      const log = createLogger({ level: 'error' })
      const ingest = createIngest({ store, pricer: createPricer(), hub, log })
      const app = createApp({
        store,
        ingest,
        hub,
        log,
        apiKeys: [],
        bodyBytesMax: 1 << 20,
        version: 'bench',
      })
      points.push(await measure(app, size, runs))
    } finally {
      store.close()
    }
  }
  return points
}
