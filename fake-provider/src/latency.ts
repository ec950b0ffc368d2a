import type { LatencySpike, ResolvedModel } from './options.ts'
import { type Random, sampleLogNormal } from './random.ts'

// A lognormal tail is unbounded; past 20x the median a fake call stops being useful to anyone.
const TAIL_MEDIANS_MAX = 20

/** When each part of a call happens, in ms from the moment the request arrived. */
export interface LatencyPlan {
  /** Whole call: a non-streamed answer is sent, or a stream ends, after this long. */
  totalMs: number
  /** A stream's first token is sent after this long. */
  ttftMs: number
  /** Fixed pause between chunks, or null to spread `totalMs - ttftMs` over the chunks. */
  chunkDelayMs: number | null
}

export interface LatencyOverrides {
  totalMs: number | null
  ttftMs: number | null
}

/** Samples one call's timing from the model's profile, then applies spikes and overrides. */
export function planLatency(
  model: ResolvedModel,
  random: Random,
  multiplier: number,
  overrides: LatencyOverrides,
): LatencyPlan {
  // Both draws always happen so the sequence stays aligned across overridden calls.
  const { medianMs, p95Ms } = model.latency
  const sampledTotalMs = Math.min(
    sampleLogNormal(random, medianMs, p95Ms),
    medianMs * TAIL_MEDIANS_MAX,
  )
  const ttftP95Ms = medianMs > 0 ? (model.ttftMs * p95Ms) / medianMs : model.ttftMs
  const sampledTtftMs = sampleLogNormal(random, model.ttftMs, ttftP95Ms)

  const totalMs = overrides.totalMs ?? sampledTotalMs * multiplier
  const ttftMs = Math.min(overrides.ttftMs ?? sampledTtftMs * multiplier, totalMs)
  return { totalMs, ttftMs, chunkDelayMs: model.chunkDelayMs }
}

/** The product of every spike that covers this model now (or this share of calls). */
export function spikeMultiplier(
  spikes: LatencySpike[],
  model: string,
  nowMs: number,
  random: Random,
): number {
  let multiplier = 1
  for (const spike of spikes) {
    if (spike.model !== undefined && spike.model !== model) continue
    const startMs = spike.startMs ?? Number.NEGATIVE_INFINITY
    const endMs = startMs + (spike.durationMs ?? Number.POSITIVE_INFINITY)
    if (nowMs < startMs || nowMs >= endMs) continue
    if (spike.fraction !== undefined && random() >= spike.fraction) continue
    multiplier *= spike.multiplier
  }
  return multiplier
}

/**
 * Reads `x-fake-latency-ms` (whole call) and `x-fake-ttft-ms` (first token).
 * A value that is not a number >= 0 is reported, so a typo does not silently mean "default".
 */
export function parseLatencyHeaders(headers: Headers): LatencyOverrides | string {
  const totalMs = parseNumberHeader(headers, 'x-fake-latency-ms')
  const ttftMs = parseNumberHeader(headers, 'x-fake-ttft-ms')
  if (typeof totalMs === 'string') return totalMs
  if (typeof ttftMs === 'string') return ttftMs
  return { totalMs, ttftMs }
}

/** A header holding a number >= 0: null when absent, a message when malformed. */
export function parseNumberHeader(
  headers: Headers,
  name: string,
  expected = 'a number of milliseconds >= 0',
): number | null | string {
  const raw = headers.get(name)
  if (raw === null || raw.trim() === '') return null
  const value = Number(raw)
  if (Number.isFinite(value) && value >= 0) return value
  return `${name} must be ${expected} (actual: "${raw}")`
}

/** Resolves after `durationMs`, or at once when the client has gone away. */
export function sleepMs(durationMs: number, signal?: AbortSignal): Promise<void> {
  if (durationMs <= 0 || signal?.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(done, durationMs)
    signal?.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
  })
}
