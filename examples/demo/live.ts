import { type IngestClient, IngestError } from './ingest.ts'
import { callForReal } from './provider-calls.ts'
import { createRandom, exponential } from './random.ts'
import type { SpikeWindow } from './trace-builder.ts'
import { INGEST_ITEMS_MAX, traceAt } from './traffic.ts'
import type { IngestBatch, Trace, WireScore, WireSpan } from './wire.ts'

const FLUSH_INTERVAL_MS = 1000

export interface LiveOptions {
  providerUrl: string
  ingest: IngestClient
  tracesPerSecond: number
  seed: number
  spike: SpikeWindow | null
  /** Aborted on Ctrl-C: arrivals stop, what has happened is sent, the rest is dropped. */
  signal: AbortSignal
  warn: (message: string) => void
}

export interface LiveStats {
  traces: number
  realCalls: number
  spans: number
  scores: number
  rejected: number
}

/** A chat trace is a single LLM call: those are made for real, the rest are simulated. */
function isSingleCall(trace: Trace): boolean {
  return trace.spans.length === 1 && trace.spans[0]?.kind === 'llm'
}

/** Makes a chat trace's call against the fake provider and moves its feedback along with it. */
export async function realizeChatTrace(
  providerUrl: string,
  trace: Trace,
  signal: AbortSignal,
): Promise<Trace> {
  const [planned] = trace.spans
  if (planned === undefined) return trace
  const span = await callForReal(providerUrl, planned, signal)
  const shiftMs = span.endTime - planned.endTime
  return {
    spans: [span],
    scores: trace.scores.map((score) => ({ ...score, time: score.time + shiftMs })),
  }
}

/**
 * A few chat calls made for real before the backfill, to show the fake provider's measured
 * latency and to put real measurements into the history. Only planned successes are probed,
 * so a planned 30 s timeout cannot stall the start; their feedback would lie in the future.
 */
export async function probe(providerUrl: string, count: number, seed: number, signal: AbortSignal) {
  const random = createRandom(seed ^ 0x5eed)
  const planned: Trace[] = []
  while (planned.length < count) {
    const trace = traceAt(random, Date.now(), { spike: null, rolloutMs: 0 })
    if (isSingleCall(trace) && trace.spans[0]?.status === 'ok') planned.push(trace)
  }
  const traces = await Promise.all(
    planned.map((trace) => realizeChatTrace(providerUrl, trace, signal)),
  )
  return traces.map((trace) => ({ spans: trace.spans, scores: [] }))
}

/** Streams live traffic until the signal aborts, then sends what has already happened. */
export async function runLive(options: LiveOptions): Promise<LiveStats> {
  const random = createRandom(options.seed)
  const stats: LiveStats = { traces: 0, realCalls: 0, spans: 0, scores: 0, rejected: 0 }
  const outbox = new Outbox()
  const inflight = new Set<Promise<void>>()
  let flushing: Promise<void> = Promise.resolve()
  // Flushes run one after another, so a slow server never sees overlapping batches.
  const flushNow = () => {
    flushing = flushing.then(() => flush(options, outbox, stats))
    return flushing
  }
  const ticker = setInterval(flushNow, FLUSH_INTERVAL_MS)

  while (!options.signal.aborted) {
    await sleepMs(exponential(random, 1000 / options.tracesPerSecond), options.signal)
    if (options.signal.aborted) break
    stats.traces++
    const trace = traceAt(random, Date.now(), { spike: options.spike, rolloutMs: 0 })
    if (!isSingleCall(trace)) {
      outbox.add(trace)
      continue
    }
    stats.realCalls++
    const call = realizeChatTrace(options.providerUrl, trace, options.signal).then((real) => {
      // A call cut short by Ctrl-C is the demo stopping, not the provider failing.
      if (!options.signal.aborted) outbox.add(real)
    })
    inflight.add(call)
    void call.finally(() => inflight.delete(call))
  }

  clearInterval(ticker)
  await Promise.allSettled(inflight)
  await flushNow()
  return stats
}

/** Spans wait until their call has ended and feedback until it was given: no future times. */
class Outbox {
  readonly #spans: WireSpan[] = []
  readonly #scores: WireScore[] = []

  add(trace: Trace): void {
    this.#spans.push(...trace.spans)
    this.#scores.push(...trace.scores)
  }

  /** Removes and returns what is due now, at most `itemsMax` items. */
  takeDue(nowMs: number, itemsMax: number): IngestBatch {
    const spans = takeWhere(this.#spans, (span) => span.endTime <= nowMs, itemsMax)
    const scores = takeWhere(this.#scores, (score) => score.time <= nowMs, itemsMax - spans.length)
    return { spans, scores }
  }
}

/** Removes up to `countMax` matching items from `items`, in order, and returns them. */
function takeWhere<T>(items: T[], due: (item: T) => boolean, countMax: number): T[] {
  const taken: T[] = []
  for (let index = 0; index < items.length && taken.length < countMax; ) {
    const item = items[index] as T
    if (due(item)) {
      taken.push(item)
      items.splice(index, 1)
    } else {
      index++
    }
  }
  return taken
}

async function flush(options: LiveOptions, outbox: Outbox, stats: LiveStats): Promise<void> {
  try {
    let batch = outbox.takeDue(Date.now(), INGEST_ITEMS_MAX)
    while (batch.spans.length + batch.scores.length > 0) {
      const result = await options.ingest.post(batch)
      stats.spans += batch.spans.length
      stats.scores += batch.scores.length
      stats.rejected += result.rejected
      if (result.firstRejection)
        options.warn(`live: the server rejected ${result.rejected}: ${result.firstRejection}`)
      batch = outbox.takeDue(Date.now(), INGEST_ITEMS_MAX)
    }
  } catch (error) {
    // A lost batch in live mode is reported and skipped; the demo keeps running.
    const message = error instanceof IngestError ? error.message : String(error)
    options.warn(`live: a batch was not delivered: ${message}`)
  }
}

function sleepMs(durationMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, durationMs)
    signal.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}
