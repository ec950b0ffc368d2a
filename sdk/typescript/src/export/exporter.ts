import type { Config } from '../config.ts'
import { BATCH_LENGTH_MAX } from '../limits.ts'
import { LiveSpan } from '../span.ts'
import type { ExporterStats, LlmlensErrorEvent, WireScore, WireSpan } from '../types.ts'
import { flushOnExit, forgetOnExit } from './exit-hook.ts'
import { encodeBody } from './gzip.ts'
import { BoundedQueue } from './queue.ts'
import { unrefTimeout } from './timers.ts'
import { sendWithRetry, type TransportOptions } from './transport.ts'
import { spanJson, toWireScore, toWireSpan } from './wire.ts'

export type QueueItem = LiveSpan | WireScore

interface Batch {
  json: string
  count: number
}

interface IngestReply {
  accepted?: unknown
  rejected?: { path?: unknown; error?: unknown }[]
}

/** How long `flush()` and `shutdown()` wait by default before they give up and resolve false. */
export const FLUSH_TIMEOUT_MS_DEFAULT = 5_000

/**
 * The batching exporter: a bounded queue, one request in flight at a time, a batch when
 * `batchSizeMax` items wait or `flushIntervalMs` after the first one arrived. Nothing here
 * throws into the application or waits on its behalf: the only promises the application sees
 * are those of `flush()` and `shutdown()`, and they resolve `false` on timeout.
 */
export class Exporter {
  private readonly queue: BoundedQueue<QueueItem>
  private exporting: Promise<void> | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private closed = false
  /** An item taken from the queue that did not fit in the last batch. */
  private carry: { item: QueueItem; json: string | null } | null = null
  private readonly counters = { exported: 0, failed: 0, rejected: 0, sampledOut: 0, closed: 0 }
  private readonly transport: TransportOptions

  constructor(
    private readonly config: Config,
    untraced: <R>(fn: () => R) => R,
  ) {
    this.queue = new BoundedQueue(config.queueSizeMax)
    this.transport = { url: config.ingestUrl, apiKey: config.apiKey, fetch: config.fetch, untraced }
    if (config.flushOnExit) flushOnExit(this)
  }

  enqueue(item: QueueItem): void {
    if (this.closed) {
      this.counters.closed++
      return
    }
    this.queue.push(item)
    if (this.exporting) return
    if (this.queue.length >= this.config.batchSizeMax) this.kick()
    else this.timer ??= unrefTimeout(() => this.kick(), this.config.flushIntervalMs)
  }

  countSampledOut(): void {
    this.counters.sampledOut++
  }

  hasPending(): boolean {
    return this.queue.length > 0 || this.carry !== null || this.exporting !== null
  }

  stats(): ExporterStats {
    const { exported, failed, rejected, sampledOut, closed } = this.counters
    const queued = this.queue.length + (this.carry ? 1 : 0)
    return { queued, dropped: this.queue.dropped + closed, exported, failed, rejected, sampledOut }
  }

  /** Sends everything queued; true when all of it was handled within `timeoutMs`. */
  async flush(timeoutMs = FLUSH_TIMEOUT_MS_DEFAULT): Promise<boolean> {
    const drain = async () => {
      while (this.hasPending()) await this.kick()
      return true
    }
    return withTimeout(drain(), timeoutMs)
  }

  /** Flushes, then stops: later spans are dropped and counted, exit hooks are removed. */
  async shutdown(timeoutMs = FLUSH_TIMEOUT_MS_DEFAULT): Promise<boolean> {
    if (this.closed) return !this.hasPending()
    const flushed = await this.flush(timeoutMs)
    this.closed = true
    forgetOnExit(this)
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.counters.closed += this.queue.clear() + (this.carry ? 1 : 0)
    this.carry = null
    return flushed
  }

  private kick(): Promise<void> {
    if (this.exporting) return this.exporting
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.exporting = this.exportOne().finally(() => {
      this.exporting = null
      if (this.closed) return
      const waiting = this.queue.length + (this.carry ? 1 : 0)
      if (waiting >= this.config.batchSizeMax) this.kick()
      else if (waiting > 0)
        this.timer ??= unrefTimeout(() => this.kick(), this.config.flushIntervalMs)
    })
    return this.exporting
  }

  private async exportOne(): Promise<void> {
    try {
      const batch = this.takeBatch()
      if (batch === null) return
      const { body, encoding } = await encodeBody(batch.json, this.config.gzip)
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (encoding) headers['content-encoding'] = encoding
      if (this.config.apiKey) headers.authorization = `Bearer ${this.config.apiKey}`
      const outcome = await sendWithRetry(
        this.transport,
        body,
        headers,
        this.config.exportTimeoutMs,
      )
      if (outcome.ok) this.accept(outcome.reply as IngestReply, batch.count)
      else {
        this.counters.failed += batch.count
        this.report({ kind: 'export-failed', message: outcome.message, itemCount: batch.count })
      }
    } catch (error) {
      this.report({ kind: 'export-failed', message: String(error), cause: error })
    }
  }

  private accept(reply: IngestReply | null, count: number): void {
    const rejected = Array.isArray(reply?.rejected) ? reply.rejected : []
    this.counters.exported += typeof reply?.accepted === 'number' ? reply.accepted : count
    if (rejected.length === 0) return
    this.counters.rejected += rejected.length
    const reasons = rejected.slice(0, 3).map((item) => String(item.error))
    const more = rejected.length > 3 ? `; and ${rejected.length - 3} more` : ''
    const message = `collector refused ${rejected.length} item(s): ${reasons.join('; ')}${more}`
    this.report({ kind: 'export-rejected', message, itemCount: rejected.length })
  }

  /** Up to `batchSizeMax` items, and no more characters of JSON than a request may carry. */
  private takeBatch(): Batch | null {
    const spans: string[] = []
    const scores: string[] = []
    let length = 0
    let taken = 0
    while (taken < this.config.batchSizeMax) {
      const next = this.carry ?? this.takeItem()
      this.carry = null
      if (next === null) break
      if (next.json === null) continue
      if (taken > 0 && length + next.json.length > BATCH_LENGTH_MAX) {
        this.carry = next
        break
      }
      ;(next.item instanceof LiveSpan ? spans : scores).push(next.json)
      length += next.json.length + 1
      taken++
    }
    if (taken === 0) return null
    const parts = []
    if (spans.length > 0) parts.push(`"spans":[${spans.join(',')}]`)
    if (scores.length > 0) parts.push(`"scores":[${scores.join(',')}]`)
    return { json: `{${parts.join(',')}}`, count: taken }
  }

  private takeItem(): { item: QueueItem; json: string | null } | null {
    const item = this.queue.shift()
    if (item === undefined) return null
    if (!(item instanceof LiveSpan)) return { item, json: JSON.stringify(toWireScore(item)) }
    const wire = this.redacted(toWireSpan(item))
    return { item, json: wire === null ? null : spanJson(wire, this.config.contentLengthMax) }
  }

  /**
   * The span after the `redact` hook. The hook gets copies of the content, so scrubbing a
   * message cannot change the application's own objects; if it throws, the span goes without
   * content (fail closed), and `onError` hears why.
   */
  private redacted(wire: WireSpan): WireSpan | null {
    const redact = this.config.redact
    if (!redact) return wire
    const copy = { ...wire, input: copyJson(wire.input), output: copyJson(wire.output) }
    try {
      const result = redact(copy)
      return result === undefined ? copy : result
    } catch (error) {
      const message = `redact threw, so span ${wire.spanId} is sent without input and output: ${String(error)}`
      this.report({ kind: 'redact-failed', message, itemCount: 1, cause: error })
      return { ...wire, input: null, output: null }
    }
  }

  report(event: LlmlensErrorEvent): void {
    try {
      this.config.onError(event)
    } catch {
      // The application's hook failed; there is nobody left to tell.
    }
  }
}

function copyJson(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value
  try {
    return JSON.parse(JSON.stringify(value))
  } catch {
    return '[llmlens: content could not be serialised as JSON]'
  }
}

async function withTimeout(work: Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | null = null
  const timeout = new Promise<boolean>((resolve) => {
    timer = unrefTimeout(() => resolve(false), timeoutMs)
  })
  try {
    return await Promise.race([work.catch(() => false), timeout])
  } finally {
    if (timer !== null) clearTimeout(timer)
  }
}
