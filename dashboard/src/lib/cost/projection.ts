const DAY_MS = 86_400_000

/** The calendar month around `nowMs`, in the browser's time zone. */
export function monthBounds(nowMs: number): { startMs: number; endMs: number } {
  const now = new Date(nowMs)
  const startMs = new Date(now.getFullYear(), now.getMonth(), 1).getTime()
  const endMs = new Date(now.getFullYear(), now.getMonth() + 1, 1).getTime()
  return { startMs, endMs }
}

export interface Projection {
  /** Spent from the start of the month until now. */
  spentUsd: number
  /** The burn rate: cost per day over the rate window. */
  usdPerDay: number
  /** Spent so far plus the burn rate over the rest of the month. */
  projectedUsd: number
  monthEndMs: number
}

/**
 * The month-end cost if spending goes on at the rate seen over `rateWindowMs` (the view's
 * range), on top of what the month has already cost.
 */
export function projectMonthEnd(
  spentUsd: number,
  rateCostUsd: number,
  rateWindowMs: number,
  nowMs: number,
): Projection {
  const { endMs } = monthBounds(nowMs)
  const usdPerMs = rateWindowMs > 0 ? rateCostUsd / rateWindowMs : 0
  return {
    spentUsd,
    usdPerDay: usdPerMs * DAY_MS,
    projectedUsd: spentUsd + usdPerMs * Math.max(0, endMs - nowMs),
    monthEndMs: endMs,
  }
}
