import type { CallSample, ScoreSamples } from '../store/types.ts'
import { quantileSorted } from './quantiles.ts'
import { chiSquareUpperTail } from './stdlib.ts'

export interface DriftOptions {
  /** PSI at or past this is a major shift: the usual rule is < 0.1 stable, 0.1–0.2 moderate. */
  psiMajor: number
  psiModerate: number
  /** And the test must reject "same distribution" at this level, so noise alone never flags. */
  alpha: number
  /** Values each window needs before a feature is judged. */
  minN: number
  /** Reference quantile bins for the PSI of a numeric feature. */
  bins: number
}

export const DRIFT_DEFAULTS: DriftOptions = {
  psiMajor: 0.2,
  psiModerate: 0.1,
  alpha: 0.01,
  minN: 50,
  bins: 10,
}

export type DriftLevel = 'stable' | 'moderate' | 'major'

export interface FeatureDrift {
  feature: string
  kind: 'numeric' | 'categorical'
  psi: number | null
  level: DriftLevel | null
  test: { method: string; statistic: number; pValue: number } | null
  /** PSI past psiMajor and the test significant at alpha. */
  flagged: boolean
  reference: WindowStats
  current: WindowStats
  warning: string | null
}

export interface WindowStats {
  count: number
  /** Numeric features: median and mean. */
  p50?: number | null
  mean?: number | null
  /** Categorical features: each category's share. */
  shares?: Record<string, number>
}

// A bin empty in one window would make PSI infinite; 1 in 10,000 stands in for "almost never".
const SHARE_MIN = 1e-4

function psiOf(reference: readonly number[], current: readonly number[]): number {
  let psi = 0
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i] as number, SHARE_MIN)
    const c = Math.max(current[i] as number, SHARE_MIN)
    psi += (c - r) * Math.log(c / r)
  }
  return psi
}

function levelOf(psi: number, options: DriftOptions): DriftLevel {
  if (psi >= options.psiMajor) return 'major'
  return psi >= options.psiModerate ? 'moderate' : 'stable'
}

/** Shares of `sorted` in the bins that `edges` (ascending upper bounds, last open) cut. */
function binShares(sorted: Float64Array, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0)
  let bin = 0
  for (const value of sorted) {
    while (bin < edges.length && value > (edges[bin] as number)) bin++
    counts[bin] = (counts[bin] as number) + 1
  }
  return counts.map((count) => count / sorted.length)
}

/**
 * The two-sample Kolmogorov-Smirnov statistic D, the largest gap between the two empirical
 * distribution functions, walking both sorted samples once.
 */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  let i = 0
  let j = 0
  let d = 0
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i] as number, b[j] as number)
    while (i < a.length && (a[i] as number) <= x) i++
    while (j < b.length && (b[j] as number) <= x) j++
    d = Math.max(d, Math.abs(i / a.length - j / b.length))
  }
  return d
}

/**
 * P(D ≥ d) for two samples of n and m, by the limiting Kolmogorov distribution with Stephens'
 * small-sample adjustment of λ. stdlib ships only the one-sample test, so this series is the one
 * distribution written here; its terms fall as e^(−2k²λ²), and 100 are far more than enough.
 */
export function ksPValue(d: number, n: number, m: number): number {
  const en = Math.sqrt((n * m) / (n + m))
  const lambda = (en + 0.12 + 0.11 / en) * d
  if (lambda < 0.2) return 1
  let sum = 0
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda)
    sum += (k % 2 === 1 ? 2 : -2) * term
    if (term < 1e-16) break
  }
  return Math.min(1, Math.max(0, sum))
}

function numericStats(sorted: Float64Array): WindowStats {
  let sum = 0
  for (const value of sorted) sum += value
  return {
    count: sorted.length,
    p50: quantileSorted(sorted, 0.5),
    mean: sorted.length === 0 ? null : sum / sorted.length,
  }
}

function smallSample(reference: number, current: number, options: DriftOptions): string | null {
  if (reference >= options.minN && current >= options.minN) return null
  return (
    `too few values to judge drift: reference has ${reference}, current has ${current}; ` +
    `at least ${options.minN} each are needed`
  )
}

/**
 * A numeric feature: PSI over the reference window's quantile bins, and the KS test.
 *
 * @example
 *   numericDrift('outputTokens', referenceTokens, currentTokens).flagged
 */
export function numericDrift(
  feature: string,
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: DriftOptions = DRIFT_DEFAULTS,
): FeatureDrift {
  const ref = Float64Array.from(reference).sort()
  const cur = Float64Array.from(current).sort()
  const result: FeatureDrift = {
    feature,
    kind: 'numeric',
    psi: null,
    level: null,
    test: null,
    flagged: false,
    reference: numericStats(ref),
    current: numericStats(cur),
    warning: smallSample(ref.length, cur.length, options),
  }
  if (result.warning !== null) return result

  // Deciles of the reference; ties (token counts repeat) merge bins rather than leave empty ones.
  const edges = [
    ...new Set(
      Array.from(
        { length: options.bins - 1 },
        (_, i) => quantileSorted(ref, (i + 1) / options.bins) as number,
      ),
    ),
  ]
  const psi = psiOf(binShares(ref, edges), binShares(cur, edges))
  const d = ksStatistic(ref, cur)
  const pValue = ksPValue(d, ref.length, cur.length)
  result.psi = psi
  result.level = levelOf(psi, options)
  result.test = { method: 'Kolmogorov-Smirnov (two-sample)', statistic: d, pValue }
  result.flagged = psi >= options.psiMajor && pValue < options.alpha
  return result
}

/** A categorical feature: PSI over the categories, and the chi-square test of the 2×k table. */
export function categoricalDrift(
  feature: string,
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
  options: DriftOptions = DRIFT_DEFAULTS,
): FeatureDrift {
  const categories = [...new Set([...reference.keys(), ...current.keys()])].sort()
  const refTotal = sumOf(reference)
  const curTotal = sumOf(current)
  const shares = (counts: ReadonlyMap<string, number>, total: number) =>
    Object.fromEntries(categories.map((c) => [c, total === 0 ? 0 : (counts.get(c) ?? 0) / total]))
  const result: FeatureDrift = {
    feature,
    kind: 'categorical',
    psi: null,
    level: null,
    test: null,
    flagged: false,
    reference: { count: refTotal, shares: shares(reference, refTotal) },
    current: { count: curTotal, shares: shares(current, curTotal) },
    warning: smallSample(refTotal, curTotal, options),
  }
  if (result.warning !== null) return result

  const refShares = categories.map((c) => (reference.get(c) ?? 0) / refTotal)
  const curShares = categories.map((c) => (current.get(c) ?? 0) / curTotal)
  const psi = psiOf(refShares, curShares)
  result.psi = psi
  result.level = levelOf(psi, options)
  if (categories.length < 2) {
    result.test = { method: 'chi-square (2×k)', statistic: 0, pValue: 1 }
    return result
  }
  const statistic = chiSquareStatistic(categories, reference, current, refTotal, curTotal)
  const pValue = chiSquareUpperTail(statistic, categories.length - 1)
  result.test = { method: 'chi-square (2×k)', statistic, pValue }
  result.flagged = psi >= options.psiMajor && pValue < options.alpha
  return result
}

function sumOf(counts: ReadonlyMap<string, number>): number {
  let total = 0
  for (const count of counts.values()) total += count
  return total
}

/** Pearson's statistic of the table whose rows are the two windows and columns the categories. */
function chiSquareStatistic(
  categories: readonly string[],
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
  refTotal: number,
  curTotal: number,
): number {
  const total = refTotal + curTotal
  let statistic = 0
  for (const category of categories) {
    const r = reference.get(category) ?? 0
    const c = current.get(category) ?? 0
    const column = r + c
    const expectedR = (column * refTotal) / total
    const expectedC = (column * curTotal) / total
    statistic += (r - expectedR) ** 2 / expectedR + (c - expectedC) ** 2 / expectedC
  }
  return statistic
}

/** One window's calls and scores, as sampled from the store. */
export interface DriftWindow {
  calls: readonly CallSample[]
  scores: ScoreSamples
}

function counts(values: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>()
  for (const value of values) out.set(value, (out.get(value) ?? 0) + 1)
  return out
}

/**
 * Every feature the issue names: token counts and latency of the successful calls, finish
 * reasons, the outcome of every call (ok or its error category, so a rise in errors shows as
 * drift too), and each score, numeric by value and labelled by label.
 */
export function driftFeatures(
  reference: DriftWindow,
  current: DriftWindow,
  options: DriftOptions = DRIFT_DEFAULTS,
): FeatureDrift[] {
  const ok = (w: DriftWindow) => w.calls.filter((c) => c.errorType === null)
  const numbers = (w: DriftWindow, pick: (c: CallSample) => number | null) =>
    ok(w).flatMap((c) => {
      const value = pick(c)
      return value === null ? [] : [value]
    })
  const numeric = (feature: string, pick: (c: CallSample) => number | null) =>
    numericDrift(feature, numbers(reference, pick), numbers(current, pick), options)
  const finish = (w: DriftWindow) =>
    counts(ok(w).flatMap((c) => (c.finishReason === null ? [] : [c.finishReason])))
  const outcome = (w: DriftWindow) => counts(w.calls.map((c) => c.errorType ?? 'ok'))

  const features = [
    numeric('inputTokens', (c) => c.inputTokens),
    numeric('outputTokens', (c) => c.outputTokens),
    numeric('latencyMs', (c) => c.durationMs),
    numeric('ttftMs', (c) => c.ttftMs),
    categoricalDrift('finishReason', finish(reference), finish(current), options),
    categoricalDrift('errorType', outcome(reference), outcome(current), options),
  ]
  const names = new Set([
    ...Object.keys(reference.scores.values),
    ...Object.keys(current.scores.values),
  ])
  for (const name of [...names].sort()) {
    features.push(
      numericDrift(
        `scores.${name}`,
        reference.scores.values[name] ?? [],
        current.scores.values[name] ?? [],
        options,
      ),
    )
  }
  const labelled = new Set([
    ...Object.keys(reference.scores.labels),
    ...Object.keys(current.scores.labels),
  ])
  for (const name of [...labelled].sort()) {
    const labels = (w: DriftWindow) => new Map(Object.entries(w.scores.labels[name] ?? {}))
    features.push(
      categoricalDrift(`scores.${name}.label`, labels(reference), labels(current), options),
    )
  }
  return features
}
