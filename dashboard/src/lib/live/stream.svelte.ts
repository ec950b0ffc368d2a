import type { AlertEvent, Anomaly, StoredScore, StoredSpan } from '@llmlens/spec'
import { parseAlertEvent, parseAnomaly, parseScore, parseSpan } from './events.ts'

export type LiveStatus = 'off' | 'connecting' | 'live' | 'reconnecting'

/** Events that arrived together; `reconnected` means some may have been missed before them. */
export interface LiveBatch {
  spans: StoredSpan[]
  scores: StoredScore[]
  /** Buckets and calls the server judged anomalous as their minute closed. */
  anomalies: Anomaly[]
  /** Alert rules that started or stopped firing. */
  alerts: AlertEvent[]
  reconnected: boolean
}

function emptyBatch(): LiveBatch {
  return { spans: [], scores: [], anomalies: [], alerts: [], reconnected: false }
}

export type LiveListener = (batch: LiveBatch) => void

// Events are handed to views in batches: one ingest request can publish 10,000 spans, and
// redrawing a table per event would freeze the tab. 50 ms keeps a new span well inside the
// 500 ms the issue allows while turning a burst into one update.
const BATCH_MS = 50
// After the server refuses or drops the stream (EventSource gives up on a non-200), retry with
// a doubling delay, so a restarting server is not hammered.
const RETRY_MS_MIN = 1_000
const RETRY_MS_MAX = 30_000

/**
 * The tab's one connection to GET /api/v1/stream, shared by every view: views subscribe and
 * unsubscribe as the user moves around, the connection stays.
 */
class LiveStream {
  status = $state<LiveStatus>('off')
  lastEventMs = $state<number | null>(null)
  /** Batches handed to views so far; tests wait on it to know a batch was applied. */
  batches = $state(0)
  private source: EventSource | null = null
  private readonly listeners = new Set<LiveListener>()
  private pending: LiveBatch = emptyBatch()
  private flushTimer: ReturnType<typeof setTimeout> | null = null
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private retryMs = RETRY_MS_MIN
  private opened = false

  connect(): void {
    if (this.source !== null) return
    this.status = this.opened ? 'reconnecting' : 'connecting'
    const source = new EventSource('/api/v1/stream')
    this.source = source
    source.onopen = () => {
      this.status = 'live'
      this.retryMs = RETRY_MS_MIN
      if (this.opened) this.queue((batch) => (batch.reconnected = true))
      this.opened = true
    }
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        this.status = 'reconnecting'
        return
      }
      this.source = null
      this.status = 'reconnecting'
      this.retryTimer = setTimeout(() => this.connect(), this.retryMs)
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MS_MAX)
    }
    source.addEventListener('span', (event) => {
      const span = parseSpan(event.data)
      if (span !== null) this.queue((batch) => batch.spans.push(span))
    })
    source.addEventListener('score', (event) => {
      const score = parseScore(event.data)
      if (score !== null) this.queue((batch) => batch.scores.push(score))
    })
    source.addEventListener('anomaly', (event) => {
      const anomaly = parseAnomaly(event.data)
      if (anomaly !== null) this.queue((batch) => batch.anomalies.push(anomaly))
    })
    source.addEventListener('alert', (event) => {
      const alert = parseAlertEvent(event.data)
      if (alert !== null) this.queue((batch) => batch.alerts.push(alert))
    })
  }

  disconnect(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.source?.close()
    this.source = null
    this.opened = false
    this.status = 'off'
  }

  /** Calls `listener` with every batch until the returned function is called. */
  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private queue(add: (batch: LiveBatch) => void): void {
    add(this.pending)
    this.lastEventMs = Date.now()
    this.flushTimer ??= setTimeout(() => this.flush(), BATCH_MS)
  }

  private flush(): void {
    this.flushTimer = null
    const batch = this.pending
    this.pending = emptyBatch()
    for (const listener of this.listeners) listener(batch)
    this.batches++
  }
}

export const live = new LiveStream()
