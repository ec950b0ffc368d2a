/** The q-quantile of a sample, interpolating between closest ranks (numpy's "linear"). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of an empty sample')
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (sorted.length - 1) * q
  const low = Math.floor(rank)
  const high = Math.min(low + 1, sorted.length - 1)
  const lowValue = sorted[low] as number
  return lowValue + ((sorted[high] as number) - lowValue) * (rank - low)
}

export const median = (values: readonly number[]) => quantile(values, 0.5)

export const sum = (values: readonly number[]) => values.reduce((total, v) => total + v, 0)

/** Milliseconds one call of `fn` took, and what it returned. */
export function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now()
  const value = fn()
  return { ms: performance.now() - start, value }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** `12,345` */
export const count = (n: number) => Math.round(n).toLocaleString('en-US')

/** Milliseconds with three significant digits: `0.412 ms`, `41.2 ms`, `1,234 ms`. */
export function ms(value: number): string {
  if (value >= 100) return `${count(value)} ms`
  return `${value.toPrecision(3)} ms`
}

export const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`
