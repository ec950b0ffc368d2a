import type { Logger } from '../log.ts'
import type { Store } from './types.ts'

const DAY_MS = 86_400_000
// 5,000 rows take a few milliseconds to delete; between slices ingest gets the event loop back,
// so a first run that clears months of data never stalls a request for long.
const ROWS_PER_SLICE = 5_000
const SLICE_PAUSE_MS = 10
const SWEEP_INTERVAL_MS = 10 * 60_000

export interface Retention {
  /** Runs one full sweep now; resolves with the rows deleted. */
  sweep(): Promise<number>
  stop(): void
}

/** Deletes data older than `days` in small slices, at start and every ten minutes. */
export function startRetention(store: Store, days: number, log: Logger, now = Date.now): Retention {
  let stopped = false
  let running: Promise<number> | null = null

  async function sweep(): Promise<number> {
    const cutoffMs = now() - days * DAY_MS
    let total = 0
    for (;;) {
      if (stopped) break
      const deleted = store.deleteOlderThan(cutoffMs, ROWS_PER_SLICE)
      total += deleted
      if (deleted < ROWS_PER_SLICE) break
      await Bun.sleep(SLICE_PAUSE_MS)
    }
    if (total > 0)
      log.info('retention deleted old data', {
        rows: total,
        olderThan: new Date(cutoffMs).toISOString(),
      })
    return total
  }

  const run = () => {
    running ??= sweep().finally(() => {
      running = null
    })
    return running
  }
  const timer = setInterval(() => void run(), SWEEP_INTERVAL_MS)
  void run()
  return {
    sweep: run,
    stop() {
      stopped = true
      clearInterval(timer)
    },
  }
}
