import type { Logger } from '../log.ts'
import type { WebhookAllowList } from './allow-list.ts'

export interface WebhookOptions {
  /** Tries per delivery, the first included. */
  attempts: number
  /** The wait before the second try; each later wait doubles, with jitter. */
  backoffMs: number
  backoffMsMax: number
  /** One try longer than this is abandoned and counts as a retryable failure. */
  timeoutMs: number
}

/**
 * Five tries over about 15 s (1 + 2 + 4 + 8 s of waits): long enough to ride out a receiver's
 * restart, short enough that a fire and its resolve a minute later still arrive in order.
 */
export const WEBHOOK_DEFAULTS: WebhookOptions = {
  attempts: 5,
  backoffMs: 1000,
  backoffMsMax: 30_000,
  timeoutMs: 10_000,
}

type Outcome =
  | { kind: 'success' }
  | { kind: 'retryable'; reason: string; retryAfterMs: number | null }
  | { kind: 'failure'; reason: string }

/** Tells what a later try may fix (throttling, server errors, no answer) from what it won't. */
function outcomeOf(response: Response): Outcome {
  if (response.ok) return { kind: 'success' }
  const reason = `HTTP ${response.status}`
  if (response.status === 429 || response.status >= 500) {
    const seconds = Number(response.headers.get('retry-after'))
    return {
      kind: 'retryable',
      reason,
      retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null,
    }
  }
  // A redirect is not followed: it could point anywhere, the allow-list only vouches for this URL.
  return {
    kind: 'failure',
    reason: response.status < 400 ? `${reason} (redirects are not followed)` : reason,
  }
}

/**
 * Posts alert notifications. Deliveries to one URL go out one after another, so a receiver gets
 * a rule's fire before its resolve even while the fire is still being retried; each delivery
 * retries with backoff, then gives up with one log line. It never throws into the caller.
 */
export class WebhookSender {
  private readonly queues = new Map<string, Promise<void>>()
  private readonly aborts = new AbortController()

  constructor(
    private readonly allow: WebhookAllowList,
    private readonly log: Logger,
    private readonly options: WebhookOptions = WEBHOOK_DEFAULTS,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  /** Queues a delivery; `label` names it in log lines (the rule and event). */
  send(url: string, body: unknown, label: string): void {
    const previous = this.queues.get(url) ?? Promise.resolve()
    const next = previous.then(() => this.deliver(url, JSON.stringify(body), label))
    this.queues.set(url, next)
    void next.finally(() => {
      if (this.queues.get(url) === next) this.queues.delete(url)
    })
  }

  /** Resolves when every queued delivery has succeeded or been given up. */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all(this.queues.values())
  }

  /** Abandons deliveries in flight and waiting; used at shutdown. */
  close(): void {
    this.aborts.abort()
  }

  private async deliver(url: string, body: string, label: string): Promise<void> {
    const host = new URL(url).host
    const refusal = this.allow.refusal(url)
    if (refusal !== null) {
      this.log.warn('webhook refused', { alert: label, host, reason: refusal })
      return
    }
    let last = ''
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      if (this.aborts.signal.aborted) return
      const outcome = await this.tryOnce(url, body)
      if (outcome.kind === 'success') return
      last = outcome.reason
      if (outcome.kind === 'failure') {
        this.log.warn('webhook delivery failed; not retried', { alert: label, host, error: last })
        return
      }
      if (attempt < this.options.attempts)
        await this.pause(this.waitMs(attempt, outcome.retryAfterMs))
    }
    this.log.warn('webhook delivery gave up', {
      alert: label,
      host,
      attempts: this.options.attempts,
      error: last,
    })
  }

  private async tryOnce(url: string, body: string): Promise<Outcome> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs)
    try {
      const response = await this.fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'llmlens-alerts' },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([timeout, this.aborts.signal]),
      })
      await response.body?.cancel()
      return outcomeOf(response)
    } catch (error) {
      return { kind: 'retryable', reason: (error as Error).message, retryAfterMs: null }
    }
  }

  /** Exponential backoff with jitter between half and all of it, or what Retry-After asked. */
  private waitMs(attempt: number, retryAfterMs: number | null): number {
    const backoff = this.options.backoffMs * 2 ** (attempt - 1)
    const wait = retryAfterMs ?? backoff * (0.5 + Math.random() / 2)
    return Math.min(wait, this.options.backoffMsMax)
  }

  private pause(ms: number): Promise<void> {
    const signal = this.aborts.signal
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }
}
