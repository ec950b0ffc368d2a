/** A seeded source of floats in [0, 1): the same seed gives the same sequence on every run. */
export type Random = () => number

// The 95th percentile of the standard normal distribution, used to turn a p95 into a sigma.
const Z_P95 = 1.6448536269514722

/**
 * mulberry32: 32 bits of state and one multiply per draw. Not cryptographic; it only has to be
 * reproducible and free of visible patterns in latency jitter and error draws.
 */
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

/**
 * FNV-1a over UTF-16 code units, then murmur3's finaliser: a stable 32-bit fingerprint of a
 * string. Plain FNV leaves the high bits of "a" and "b" nearly equal; the finaliser spreads
 * every input bit over every output bit.
 */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0
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

/** One draw from the standard normal distribution (Box-Muller). */
export function sampleNormal(random: Random): number {
  // 1 - random() lies in (0, 1], so the logarithm stays finite.
  const radius = Math.sqrt(-2 * Math.log(1 - random()))
  return radius * Math.cos(2 * Math.PI * random())
}

/**
 * One draw from the lognormal distribution whose median and 95th percentile are given.
 * Latency of network calls is close to lognormal: bounded below, with a long right tail.
 */
export function sampleLogNormal(random: Random, median: number, p95: number): number {
  if (median <= 0) return 0
  const sigma = p95 > median ? Math.log(p95 / median) / Z_P95 : 0
  return median * Math.exp(sigma * sampleNormal(random))
}

const HEX_DIGITS = '0123456789abcdef'
const BASE62_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A string of `length` characters drawn from `alphabet`. */
export function randomString(random: Random, length: number, alphabet = BASE62_DIGITS): string {
  let text = ''
  for (let index = 0; index < length; index++) {
    text += alphabet[Math.floor(random() * alphabet.length)]
  }
  return text
}

/** Lowercase hex of `length` characters. */
export function randomHex(random: Random, length: number): string {
  return randomString(random, length, HEX_DIGITS)
}
