import betainc from '@stdlib/math-base-special-betainc'
import mt19937 from '@stdlib/random-base-mt19937'
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf'
import normalCdf from '@stdlib/stats-base-dists-normal-cdf'
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile'
import kruskalTest from '@stdlib/stats-kruskal-test'
import ttest2 from '@stdlib/stats-ttest2'

/**
 * The distributions and tests this folder uses, all from stdlib (maintained, tested against R
 * and SciPy), in one place so that each call site reads as statistics, not as library glue.
 */

/** P(Z ≤ z) for a standard normal Z. */
export const standardNormalCdf = (z: number): number => normalCdf(z, 0, 1)

/** The z with P(Z ≤ z) = p for a standard normal Z. */
export const standardNormalQuantile = (p: number): number => normalQuantile(p, 0, 1)

/** P(X ≥ x) for X ~ chi-square with `df` degrees of freedom. */
export const chiSquareUpperTail = (x: number, df: number): number => 1 - chisquareCdf(x, df)

/**
 * P(X ≥ k) for X ~ Binomial(n, p), as the regularized incomplete beta I_p(k, n − k + 1): exact
 * far into the tail, where 1 − cdf would round to zero.
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1
  if (k > n) return 0
  return betainc(p, k, n - k + 1, true, false)
}

/** Welch's two-sample t test (unequal variances): p-value and 95% CI of mean(b) − mean(a). */
export function welchTest(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): { pValue: number; ci95: [number, number]; statistic: number } {
  // ttest2 tests x − y; b first so that the interval is of b − a.
  const result = ttest2(b as number[], a as number[], { variance: 'unequal', alpha: 0.05 })
  return {
    pValue: result.pValue,
    ci95: [result.ci[0] as number, result.ci[1] as number],
    statistic: result.statistic,
  }
}

/**
 * The two-sided Mann-Whitney U test of two samples, through Kruskal-Wallis: with two groups its
 * H statistic is the square of the normal-approximation z of U (tie-corrected, no continuity
 * correction), so its chi-square(1) p-value is the U test's.
 */
export function mannWhitneyPValue(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return kruskalTest(a as number[], b as number[]).pValue
}

/** A seeded source of uniform numbers in [0, 1): reproducible resamples and test data. */
export function seededUniform(seed: number): () => number {
  if (!Number.isInteger(seed) || seed < 1 || seed > 0xffff_ffff) {
    throw new Error(`seed must be an integer from 1 to 2^32 − 1 (actual: ${seed})`)
  }
  // The typings omit `normalized`, which every generator the factory makes carries.
  const generator = mt19937.factory({ seed }) as unknown as { normalized: () => number }
  return generator.normalized
}
