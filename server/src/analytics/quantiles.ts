/**
 * Exact quantiles of a sample, by linear interpolation between the closest ranks (the method
 * numpy and most dashboards call "linear"), so figures match what users compute themselves.
 */
export function quantileSorted(sorted: Float64Array, q: number): number | null {
  const n = sorted.length
  if (n === 0) return null
  const rank = (n - 1) * q
  const low = Math.floor(rank)
  const high = Math.min(low + 1, n - 1)
  const lowValue = sorted[low] as number
  return lowValue + ((sorted[high] as number) - lowValue) * (rank - low)
}

/** `values`, or a copy twice its size when it is full at `length`: room for one more. */
export function withRoom(
  values: Float64Array<ArrayBuffer>,
  length: number,
): Float64Array<ArrayBuffer> {
  if (length < values.length) return values
  const grown = new Float64Array(values.length * 2)
  grown.set(values)
  return grown
}

/** A growable column of numbers that sorts without boxing. */
export class NumberColumn {
  private values = new Float64Array(64)
  length = 0

  push(value: number): void {
    this.values = withRoom(this.values, this.length)
    this.values[this.length++] = value
  }

  sorted(): Float64Array {
    return this.values.subarray(0, this.length).sort()
  }
}

export interface Distribution {
  p50: number | null
  p95: number | null
  p99: number | null
  mean: number | null
  max: number | null
}

/** p50/p95/p99, mean and max of a column. */
export function distribution(column: NumberColumn | undefined): Distribution {
  const sorted = column === undefined ? new Float64Array(0) : column.sorted()
  if (sorted.length === 0) return { p50: null, p95: null, p99: null, mean: null, max: null }
  let sum = 0
  for (const value of sorted) sum += value
  return {
    p50: quantileSorted(sorted, 0.5),
    p95: quantileSorted(sorted, 0.95),
    p99: quantileSorted(sorted, 0.99),
    mean: sum / sorted.length,
    max: sorted[sorted.length - 1] as number,
  }
}
