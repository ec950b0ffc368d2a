import type { Summary } from '@llmlens/spec'
import { ownValue } from '../safe/entries.ts'

type ScoreStats = Summary['total']['scores'][string]

/** A score name's statistics in a metrics object, never an inherited property. */
export function scoreOf(scores: Summary['total']['scores'], name: string): ScoreStats | null {
  return (ownValue(scores, name) as ScoreStats | undefined) ?? null
}

/** Score names, most used first. */
export function scoreNames(summary: Summary): string[] {
  return Object.keys(summary.total.scores).sort(
    (a, b) =>
      (scoreOf(summary.total.scores, b)?.count ?? 0) -
        (scoreOf(summary.total.scores, a)?.count ?? 0) || a.localeCompare(b),
  )
}

/** The label most often given, for scores that are labels (thumbs up/down) rather than numbers. */
export function mainLabel(stats: ScoreStats | null): string | null {
  if (stats === null) return null
  let best: string | null = null
  let bestCount = -1
  for (const label of Object.keys(stats.labels).sort()) {
    const count = (ownValue(stats.labels, label) as number | undefined) ?? 0
    if (count > bestCount) {
      best = label
      bestCount = count
    }
  }
  return best
}

/** What a score's trend plots: its mean when it has values, else the share of `label`. */
export function trendValue(stats: ScoreStats | null, label: string | null): number | null {
  if (stats === null) return null
  if (stats.mean !== null) return stats.mean
  if (label === null) return null
  const labelled = Object.keys(stats.labels).reduce(
    (sum, key) => sum + ((ownValue(stats.labels, key) as number | undefined) ?? 0),
    0,
  )
  const count = (ownValue(stats.labels, label) as number | undefined) ?? 0
  return labelled === 0 ? null : count / labelled
}

export interface Histogram {
  /** Lower edge of each bin; the last bin includes the maximum. */
  edges: number[]
  counts: number[]
  widthOfBin: number
}

/** Values in `bins` equal-width bins from the lowest to the highest, or between 0 and 1. */
export function histogram(values: readonly number[], bins = 10): Histogram {
  const finite = values.filter((value) => Number.isFinite(value))
  const inUnit = finite.every((value) => value >= 0 && value <= 1)
  const low = inUnit ? 0 : Math.min(...finite)
  const high = inUnit ? 1 : Math.max(...finite)
  const widthOfBin = high > low ? (high - low) / bins : 1
  const counts = new Array<number>(bins).fill(0)
  for (const value of finite) {
    const index = Math.min(bins - 1, Math.floor((value - low) / widthOfBin))
    counts[index] = (counts[index] ?? 0) + 1
  }
  return { edges: counts.map((_, i) => low + i * widthOfBin), counts, widthOfBin }
}

/** The windows of `count` equal slices of [fromMs, toMs). */
export function slices(fromMs: number, toMs: number, count: number) {
  const stepMs = (toMs - fromMs) / count
  return Array.from({ length: count }, (_, i) => ({
    fromMs: Math.round(fromMs + i * stepMs),
    toMs: Math.round(fromMs + (i + 1) * stepMs),
  }))
}
