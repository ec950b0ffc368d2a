/** A seeded source of floats in [0, 1): one seed, one history, on every run. */
export type Random = () => number

// The 95th percentile of the standard normal distribution: turns a p95 into a sigma.
const Z_P95 = 1.6448536269514722

/** mulberry32: tiny, fast and reproducible; the demo needs no more than that. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  return function nextRandom() {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = state
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}

/** True with probability `p`. */
export function chance(random: Random, p: number): boolean {
  return random() < p
}

/** An integer in [min, max]. */
export function integerBetween(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

/** One element, uniformly. */
export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)]
  if (item === undefined) throw new Error('pick needs at least one item')
  return item
}

/** One key, with probability proportional to its weight. */
export function pickWeighted<T extends string>(random: Random, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as Array<[T, number]>
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
  let remaining = random() * total
  for (const [key, weight] of entries) {
    remaining -= weight
    if (remaining < 0) return key
  }
  const last = entries[entries.length - 1]
  if (last === undefined) throw new Error('pickWeighted needs at least one weight')
  return last[0]
}

/** A standard normal draw (Box-Muller). */
export function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

/** A lognormal draw with the given median and 95th percentile. */
export function logNormal(random: Random, median: number, p95: number): number {
  const sigma = p95 > median ? Math.log(p95 / median) / Z_P95 : 0
  return median * Math.exp(sigma * normal(random))
}

/** An exponential draw: the gap between events of a Poisson process with this mean. */
export function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random()) * mean
}

/** Lowercase hex of `length` characters, never all zeros (W3C trace context forbids that). */
export function hexId(random: Random, length: number): string {
  let id = ''
  for (let index = 0; index < length; index++) id += Math.floor(random() * 16).toString(16)
  return /^0+$/.test(id) ? `${id.slice(0, -1)}1` : id
}

/** FNV-1a with murmur3's finaliser: a stable 32-bit fingerprint, for ids derived from names. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return hash >>> 0
}
