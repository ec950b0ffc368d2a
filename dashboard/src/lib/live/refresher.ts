export interface RefresherOptions {
  /** Re-read this often with no new data, so a sliding window drops what fell out of it. */
  idleMs: number
  /** The soonest re-read after new data, however cheap reads are. */
  dirtyMinMs: number
  /**
   * After new data, wait this many times as long as the last read took: a dashboard over a
   * million spans whose read costs a second then spends at most 1/factor of the server's time.
   */
  costFactor: number
}

export const REFRESH_DEFAULTS: RefresherOptions = {
  idleMs: 60_000,
  dirtyMinMs: 10_000,
  costFactor: 20,
}

export interface Timers {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const BROWSER_TIMERS: Timers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as number),
}

/**
 * Schedules re-reads of a live view. Counts update exactly as spans arrive; what cannot be
 * updated from one span (percentiles) is re-read, soon after new data and rarely without.
 */
export class Refresher {
  private handle: unknown = null
  private dueMs = Number.POSITIVE_INFINITY
  private dirty = false
  private running = false
  private stopped = true
  private lastReadMs = 0

  constructor(
    private readonly read: () => Promise<unknown>,
    private readonly options: RefresherOptions = REFRESH_DEFAULTS,
    private readonly timers: Timers = BROWSER_TIMERS,
  ) {}

  /** Starts the schedule; `readMs` is how long the first read took. */
  start(readMs: number): void {
    this.stopped = false
    this.lastReadMs = readMs
    this.schedule(this.options.idleMs)
  }

  stop(): void {
    this.stopped = true
    this.cancel()
  }

  /** New data arrived that the view could not apply exactly. */
  markDirty(): void {
    this.dirty = true
    if (this.stopped || this.running) return
    const delayMs = this.dirtyDelayMs()
    if (this.timers.now() + delayMs < this.dueMs) this.schedule(delayMs)
  }

  private dirtyDelayMs(): number {
    return Math.max(this.options.dirtyMinMs, this.options.costFactor * this.lastReadMs)
  }

  private cancel(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle)
    this.handle = null
    this.dueMs = Number.POSITIVE_INFINITY
  }

  private schedule(delayMs: number): void {
    this.cancel()
    this.dueMs = this.timers.now() + delayMs
    this.handle = this.timers.setTimeout(() => void this.fire(), delayMs)
  }

  private async fire(): Promise<void> {
    this.handle = null
    this.dueMs = Number.POSITIVE_INFINITY
    this.dirty = false
    this.running = true
    const startedMs = this.timers.now()
    try {
      await this.read()
    } catch {
      // A failed read shows its error in the view; the schedule carries on.
    }
    this.running = false
    this.lastReadMs = this.timers.now() - startedMs
    if (this.stopped) return
    this.schedule(this.dirty ? this.dirtyDelayMs() : this.options.idleMs)
  }
}
