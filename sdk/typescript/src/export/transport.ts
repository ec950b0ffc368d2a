import { backoffMs, RETRYABLE_STATUSES, retryAfterMs } from './retry.ts'
import { sleepMs, unrefTimeout } from './timers.ts'

export interface TransportOptions {
  url: string
  apiKey: string | null
  fetch: typeof fetch
  /** Runs the request where the SDK's own instrumentation cannot see it. */
  untraced: <R>(fn: () => R) => R
}

/** How one export ended; the transport never throws. */
export type ExportOutcome =
  | { ok: true; reply: unknown }
  | { ok: false; message: string; status: number | null }

type Attempt =
  | { kind: 'success'; reply: unknown }
  | { kind: 'retry'; message: string; status: number | null; waitMs: number | null }
  | { kind: 'failure'; message: string; status: number | null }

// Five attempts span 0.5 + 1 + 2 + 4 s of backoff: 7.5 s, inside the default 10 s deadline.
const ATTEMPTS_MAX = 5

async function attempt(
  options: TransportOptions,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Attempt> {
  const controller = new AbortController()
  const timer = unrefTimeout(() => controller.abort(), timeoutMs)
  try {
    const response = await options.untraced(() =>
      options.fetch(options.url, { method: 'POST', headers, body, signal: controller.signal }),
    )
    const text = await response.text()
    if (response.ok) return { kind: 'success', reply: parseJson(text) }
    const message = `collector answered ${response.status}: ${text.slice(0, 300)}`
    if (!RETRYABLE_STATUSES.has(response.status)) {
      return { kind: 'failure', message, status: response.status }
    }
    const waitMs = retryAfterMs(response.headers.get('retry-after'), Date.now())
    return { kind: 'retry', message, status: response.status, waitMs }
  } catch (error) {
    if (controller.signal.aborted) {
      // The attempt used the whole remaining deadline: there is no time left to retry in.
      return {
        kind: 'failure',
        message: `collector did not answer within ${timeoutMs} ms`,
        status: null,
      }
    }
    const message = `collector unreachable: ${error instanceof Error ? error.message : String(error)}`
    return { kind: 'retry', message, status: null, waitMs: null }
  } finally {
    clearTimeout(timer)
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/**
 * Sends one body, retrying 429, 502, 503, 504 and network errors with exponential backoff and
 * jitter, or after `Retry-After` when the collector names a time, all inside `deadlineMs`. A wait
 * that would end past the deadline is not started: the batch fails now rather than later.
 */
export async function sendWithRetry(
  options: TransportOptions,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
  deadlineMs: number,
): Promise<ExportOutcome> {
  const startMs = Date.now()
  const remainingMs = () => deadlineMs - (Date.now() - startMs)

  for (let attemptIndex = 0; ; attemptIndex++) {
    const result = await attempt(options, body, headers, Math.max(1, remainingMs()))
    if (result.kind === 'success') return { ok: true, reply: result.reply }
    if (result.kind === 'failure')
      return { ok: false, message: result.message, status: result.status }
    if (attemptIndex + 1 >= ATTEMPTS_MAX) {
      return {
        ok: false,
        message: `${result.message} (gave up after ${ATTEMPTS_MAX} attempts)`,
        status: result.status,
      }
    }
    const waitMs = result.waitMs ?? backoffMs(attemptIndex)
    if (waitMs >= remainingMs()) {
      const message = `${result.message} (next attempt in ${Math.round(waitMs)} ms would pass the ${deadlineMs} ms deadline)`
      return { ok: false, message, status: result.status }
    }
    await sleepMs(waitMs)
  }
}
