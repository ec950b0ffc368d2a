const NO_VALUE = '–'

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

/** A count for a headline or a table: exact below 10,000, then 12.3k, 4.5M. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE
  const size = Math.abs(value)
  if (size < 10_000) return integer.format(value)
  if (size < 1_000_000) return `${oneDecimal.format(value / 1_000)}k`
  if (size < 1_000_000_000) return `${oneDecimal.format(value / 1_000_000)}M`
  return `${oneDecimal.format(value / 1_000_000_000)}B`
}

/** A duration: 850 ms, 1.24 s, 2.5 min; a negative one (a difference) keeps its sign. */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE
  const size = Math.abs(value)
  const sign = value < 0 ? '−' : ''
  if (size === 0) return '0 ms'
  if (size < 1) return `${sign}${size.toFixed(2)} ms`
  if (size < 1_000) return `${sign}${Math.round(size)} ms`
  if (size < 60_000) return `${sign}${(size / 1_000).toFixed(size < 10_000 ? 2 : 1)} s`
  return `${sign}${(size / 60_000).toFixed(1)} min`
}

/**
 * US dollars with enough digits that a fraction of a cent still shows: $0.0042, $12.34. A
 * negative amount (a difference) puts its sign before the dollar sign: −$0.00066.
 */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE
  const size = Math.abs(value)
  const sign = value < 0 ? '−' : ''
  if (size === 0) return '$0'
  if (size < 0.01) return `${sign}$${size.toPrecision(2)}`
  if (size < 100) return `${sign}$${size.toFixed(2)}`
  if (size < 100_000) return `${sign}$${integer.format(size)}`
  return `${sign}$${formatCount(size)}`
}

/** A ratio (0.012) as a percentage (1.2%). */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return NO_VALUE
  const percent = ratio * 100
  if (percent === 0) return '0%'
  if (Math.abs(percent) < 0.1) return `${percent.toFixed(2)}%`
  return `${oneDecimal.format(percent)}%`
}

/** A score mean: two decimals. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE
  return value.toFixed(2)
}

export type ChangeDirection = 'up' | 'down' | 'flat' | 'none'

export interface Change {
  text: string
  direction: ChangeDirection
}

// Below half a percent a change is noise on a dashboard; it shows as flat.
const FLAT_RATIO = 0.005

/** How `current` moved against `previous`, as a signed percentage. */
export function changeOf(current: number | null, previous: number | null): Change {
  if (current === null || previous === null || !Number.isFinite(current)) {
    return { text: NO_VALUE, direction: 'none' }
  }
  if (previous === 0) {
    return current === 0 ? { text: '0%', direction: 'flat' } : { text: 'new', direction: 'up' }
  }
  const ratio = (current - previous) / Math.abs(previous)
  if (Math.abs(ratio) < FLAT_RATIO) return { text: '0%', direction: 'flat' }
  const sign = ratio > 0 ? '+' : '−'
  const size = Math.abs(ratio) * 100
  const text = `${sign}${size >= 100 ? integer.format(size) : oneDecimal.format(size)}%`
  return { text, direction: ratio > 0 ? 'up' : 'down' }
}
