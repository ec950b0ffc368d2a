import { ENDPOINT_HANDLERS } from './endpoints.ts'
import { feedbackFor } from './feedback.ts'
import {
  chance,
  createRandom,
  exponential,
  hashString,
  hexId,
  integerBetween,
  pickWeighted,
  type Random,
} from './random.ts'
import {
  APP_ENDPOINTS,
  type DemoModel,
  REGIONS,
  RELEASES,
  ROLLOUT_AT_FRACTION,
  SESSION_MS,
  USERS_COUNT,
} from './scenario.ts'
import { type SpikeWindow, TraceBuilder, type TraceContext } from './trace-builder.ts'
import type { IngestBatch, Trace } from './wire.ts'

const MINUTE_MS = 60_000
// Traffic swings 30% around its mean in one wave over the window, like a working day, so the
// charts show a trend while the mean rate (and so the span count) stays as configured.
const TRAFFIC_SWING = 0.3
const STAGING_SHARE = 0.12
const BETA_USERS_MAX = 15

export const INGEST_ITEMS_MAX = 500
// About 3 spans per trace: 18 traces a minute fill 6 hours with about 20,000 spans.
export const DEFAULT_TRACES_PER_MINUTE = 18

export interface TrafficOptions {
  startMs: number
  endMs: number
  /** Mean request rate of the simulated application; about 3 spans per request. */
  tracesPerMinute: number
  seed: number
  spike: SpikeWindow | null
  /** When production moves from the previous release to the current one. */
  rolloutMs: number
}

/** A spike that sits well inside the window: 8 minutes (or a tenth of it) at 70% of the way. */
export function defaultSpike(startMs: number, endMs: number, model: DemoModel = 'gpt-4o-mini') {
  const windowMs = endMs - startMs
  return {
    model,
    startMs: startMs + Math.round(windowMs * 0.7),
    durationMs: Math.min(8 * MINUTE_MS, Math.round(windowMs / 10)),
    multiplier: 5,
  } satisfies SpikeWindow
}

/** Options for history that ends `nowMs`, with the spike and the rollout placed inside it. */
export function backfillOptions(
  nowMs: number,
  hours: number,
  tracesPerMinute: number,
  seed: number,
) {
  const startMs = nowMs - hours * 60 * MINUTE_MS
  return {
    startMs,
    endMs: nowMs,
    tracesPerMinute,
    seed,
    spike: defaultSpike(startMs, nowMs),
    rolloutMs: startMs + Math.round((nowMs - startMs) * ROLLOUT_AT_FRACTION),
  } satisfies TrafficOptions
}

/**
 * Every trace of the window, in start order. Arrivals are a Poisson process whose rate rises
 * and falls once over the window. Traces that would end after the window, and feedback given
 * after it, are left out because they have not happened yet.
 */
export function* generateTraces(options: TrafficOptions): Generator<Trace> {
  const random = createRandom(options.seed)
  const windowMs = options.endMs - options.startMs
  let timeMs = options.startMs

  while (true) {
    const phase = (2 * Math.PI * (timeMs - options.startMs)) / windowMs
    const rate = options.tracesPerMinute * (1 + TRAFFIC_SWING * Math.sin(phase))
    timeMs += exponential(random, MINUTE_MS / Math.max(rate, 0.001))
    if (timeMs >= options.endMs) return

    const trace = traceAt(random, timeMs, options)
    if (trace.spans.some((span) => span.endTime > options.endMs)) continue
    yield {
      spans: trace.spans,
      scores: trace.scores.filter((score) => score.time <= options.endMs),
    }
  }
}

/** One request of the simulated application, starting at `startMs`. */
export function traceAt(
  random: Random,
  startMs: number,
  options: Pick<TrafficOptions, 'spike' | 'rolloutMs'>,
): Trace {
  const context = contextAt(random, startMs, options)
  const builder = new TraceBuilder(random, context)
  const root = ENDPOINT_HANDLERS[context.endpoint](builder, startMs)
  return { spans: builder.spans, scores: feedbackFor(random, context, root) }
}

function contextAt(
  random: Random,
  startMs: number,
  options: Pick<TrafficOptions, 'spike' | 'rolloutMs'>,
): TraceContext {
  const staging = chance(random, STAGING_SHARE)
  // Squaring the draw skews activity towards low ids: a few heavy users, a long tail.
  const userIndex = staging
    ? integerBetween(random, 1, 5)
    : Math.floor(USERS_COUNT * random() ** 2) + 1
  const userId = staging ? `qa-${userIndex}` : `u-${userIndex}`
  const userHash = hashString(userId)
  // Sessions are 30-minute buckets, offset per user so they do not all roll over together.
  const sessionBucket = Math.floor((startMs + (userHash % SESSION_MS)) / SESSION_MS)
  const variant = userIndex % 2 === 0 ? 'a' : 'b'
  const beta = !staging && userIndex <= BETA_USERS_MAX

  return {
    traceId: hexId(random, 32),
    endpoint: pickWeighted(random, APP_ENDPOINTS),
    userId,
    sessionId: `s-${hashString(`${userId}:${sessionBucket}`).toString(16).padStart(8, '0')}`,
    environment: staging ? 'staging' : 'production',
    release: staging || startMs >= options.rolloutMs ? RELEASES.current : RELEASES.previous,
    variant,
    tags: beta ? [`variant:${variant}`, 'beta'] : [`variant:${variant}`],
    region: REGIONS[userHash % REGIONS.length] ?? 'us-east-1',
    spike: options.spike,
  }
}

/** Groups traces into ingest bodies of at most `itemsMax` spans and scores, never splitting one. */
export function* toBatches(
  traces: Iterable<Trace>,
  itemsMax: number = INGEST_ITEMS_MAX,
): Generator<IngestBatch> {
  let batch: IngestBatch = { spans: [], scores: [] }
  for (const trace of traces) {
    const size = trace.spans.length + trace.scores.length
    if (batch.spans.length + batch.scores.length + size > itemsMax && batch.spans.length > 0) {
      yield batch
      batch = { spans: [], scores: [] }
    }
    batch.spans.push(...trace.spans)
    batch.scores.push(...trace.scores)
  }
  if (batch.spans.length + batch.scores.length > 0) yield batch
}
