/** Something with spans to send before the process goes away. */
export interface Flushable {
  hasPending(): boolean
  flush(timeoutMs?: number): Promise<boolean>
}

interface ProcessEvents {
  on?(event: 'beforeExit', listener: () => void): unknown
  off?(event: 'beforeExit', listener: () => void): unknown
}
interface DocumentEvents {
  visibilityState?: string
  addEventListener?(event: 'visibilitychange', listener: () => void): void
  removeEventListener?(event: 'visibilitychange', listener: () => void): void
}

const pending = new Set<Flushable>()
let installed: (() => void) | null = null

function flushAll(): void {
  for (const exporter of pending) {
    if (exporter.hasPending()) void exporter.flush()
  }
}

/**
 * One listener for all exporters, installed on first use. Node and Bun emit `beforeExit` when
 * the event loop runs dry; the flush's request keeps the loop alive until it is sent, and the
 * event comes again, now with nothing pending. Browsers get a flush when the page is hidden, the
 * last moment a tab reliably runs code. A signal or `process.exit()` skips `beforeExit`: call
 * `shutdown()` there.
 */
function install(): () => void {
  const runtime = globalThis as { process?: ProcessEvents; document?: DocumentEvents }
  const process = runtime.process
  if (typeof process?.on === 'function') {
    process.on('beforeExit', flushAll)
    return () => process.off?.('beforeExit', flushAll)
  }
  const document = runtime.document
  if (typeof document?.addEventListener === 'function') {
    const onHidden = () => {
      if (document.visibilityState === 'hidden') flushAll()
    }
    document.addEventListener('visibilitychange', onHidden)
    return () => document.removeEventListener?.('visibilitychange', onHidden)
  }
  return () => undefined
}

export function flushOnExit(exporter: Flushable): void {
  pending.add(exporter)
  installed ??= install()
}

export function forgetOnExit(exporter: Flushable): void {
  pending.delete(exporter)
  if (pending.size === 0 && installed) {
    installed()
    installed = null
  }
}
