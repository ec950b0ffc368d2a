/**
 * Side-by-side distributions of a drift feature. A numeric feature is binned at the deciles of
 * the reference sample, as the server bins it for PSI: each bin holds a tenth of the reference,
 * so a current window that has drifted shows as bars that stray from 10%. Ties (token counts
 * repeat) merge bins rather than leave empty ones.
 */

export interface Bin {
  label: string
  /** Share of each window's values in this bin, 0 to 1. */
  reference: number
  current: number
}

/** The quantile of sorted values by linear interpolation between the closest ranks. */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  const n = sorted.length
  if (n === 0) return null
  const rank = (n - 1) * q
  const low = Math.floor(rank)
  const high = Math.min(low + 1, n - 1)
  const lowValue = sorted[low] as number
  return lowValue + ((sorted[high] as number) - lowValue) * (rank - low)
}

function shares(sorted: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0)
  let bin = 0
  for (const value of sorted) {
    while (bin < edges.length && value > (edges[bin] as number)) bin++
    counts[bin] = (counts[bin] as number) + 1
  }
  return counts.map((count) => (sorted.length === 0 ? 0 : count / sorted.length))
}

export const BINS = 10

/** Decile bins of the reference, with both windows' shares; empty when either has no values. */
export function decileBins(
  reference: readonly number[],
  current: readonly number[],
  format: (value: number) => string,
  bins = BINS,
): Bin[] {
  if (reference.length === 0 || current.length === 0) return []
  const ref = [...reference].sort((a, b) => a - b)
  const cur = [...current].sort((a, b) => a - b)
  const edges = [
    ...new Set(
      Array.from({ length: bins - 1 }, (_, i) => quantileSorted(ref, (i + 1) / bins) as number),
    ),
  ]
  const refShares = shares(ref, edges)
  const curShares = shares(cur, edges)
  return refShares.map((share, i) => {
    const low = edges[i - 1]
    const high = edges[i]
    let label: string
    if (low === undefined && high === undefined) label = 'all values'
    else if (low === undefined) label = `≤ ${format(high as number)}`
    else if (high === undefined) label = `> ${format(low)}`
    else label = `${format(low)} – ${format(high)}`
    return { label, reference: share, current: curShares[i] ?? 0 }
  })
}

/**
 * Bins of a categorical feature from the shares the server gives per window: one per category
 * of either window, the reference's largest first. Category names are data: read as own keys.
 */
export function categoryBins(
  reference: readonly [string, number][],
  current: readonly [string, number][],
): Bin[] {
  const ref = new Map(reference)
  const cur = new Map(current)
  const names = [...new Set([...ref.keys(), ...cur.keys()])]
  return names
    .map((label) => ({ label, reference: ref.get(label) ?? 0, current: cur.get(label) ?? 0 }))
    .sort(
      (a, b) =>
        b.reference - a.reference || b.current - a.current || a.label.localeCompare(b.label),
    )
}
