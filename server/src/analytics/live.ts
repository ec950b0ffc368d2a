import type { Anomaly } from '@llmlens/spec'
import type { Alerts } from '../alerts/alerts.ts'
import type { Logger } from '../log.ts'
import type { Hub } from '../realtime/hub.ts'
import type { Store } from '../store/types.ts'
import { ANOMALY_QUERY_DEFAULTS, callFilter, evaluateAnomalies } from './evaluate.ts'

export interface LiveOptions {
  stepMs: number
  /**
   * How long after a bucket closes it is judged. A call is stored when it ends, so a bucket
   * keeps filling after its minute with the calls that started in it; 15 s covers all but the
   * slowest, and the on-demand endpoint judges those later with everything else.
   */
  graceMs: number
}

export const LIVE_DEFAULTS: LiveOptions = { stepMs: 60_000, graceMs: 15_000 }

export interface LiveDeps {
  store: Store
  hub: Hub
  log: Logger
  alerts: Alerts
  options?: LiveOptions
  now?: () => number
}

/**
 * Judges each one-minute bucket as it closes, pushes its anomalies to the live stream as
 * `anomaly` events, then evaluates the alert rules. `tick` does one round and is what the
 * timer calls; tests call it with the time they want.
 */
export class LiveMonitor {
  private timer: ReturnType<typeof setTimeout> | null = null
  private lastBucketMs = Number.NEGATIVE_INFINITY
  private readonly options: LiveOptions
  private readonly now: () => number

  constructor(private readonly deps: LiveDeps) {
    this.options = deps.options ?? LIVE_DEFAULTS
    this.now = deps.now ?? Date.now
  }

  start(): void {
    const schedule = () => {
      const nowMs = this.now()
      const { stepMs, graceMs } = this.options
      const nextMs = Math.floor((nowMs - graceMs) / stepMs) * stepMs + stepMs + graceMs
      this.timer = setTimeout(() => {
        this.tick(this.now())
        schedule()
      }, nextMs - nowMs)
    }
    // The first round only sets the mark: buckets closed before start were never live.
    this.lastBucketMs = this.closedBucketMs(this.now())
    schedule()
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  /** Judges the newest closed bucket once, then the alert rules; returns the bucket's anomalies. */
  tick(nowMs: number): Anomaly[] {
    const bucketMs = this.closedBucketMs(nowMs)
    let anomalies: Anomaly[] = []
    if (bucketMs > this.lastBucketMs) {
      this.lastBucketMs = bucketMs
      anomalies = this.judge(bucketMs)
      for (const anomaly of anomalies) this.deps.hub.publish('anomaly', anomaly)
    }
    this.deps.alerts.evaluate(nowMs)
    return anomalies
  }

  /** The start of the newest bucket whose grace period is over. */
  private closedBucketMs(nowMs: number): number {
    const { stepMs, graceMs } = this.options
    return Math.floor((nowMs - graceMs) / stepMs) * stepMs - stepMs
  }

  private judge(bucketMs: number): Anomaly[] {
    try {
      return evaluateAnomalies(this.deps.store, {
        ...ANOMALY_QUERY_DEFAULTS,
        filter: callFilter({ fromMs: bucketMs, toMs: bucketMs + this.options.stepMs }),
        stepMs: this.options.stepMs,
      }).anomalies
    } catch (error) {
      this.deps.log.error('live anomaly detection failed', { bucketMs, error: String(error) })
      return []
    }
  }
}
