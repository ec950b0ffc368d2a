import { hashString } from './random.ts'

// Enough distinct prompt prefixes for any test or demo run; the oldest are forgotten first.
const ENTRIES_MAX = 10_000

/** Prompt prefixes this instance has seen, standing in for a provider's prompt cache. */
export class PromptCache {
  readonly #keys = new Set<string>()

  /** True when the key was seen before; records it either way. */
  lookup(key: string): boolean {
    if (this.#keys.has(key)) return true
    this.#keys.add(key)
    if (this.#keys.size > ENTRIES_MAX) {
      const oldest = this.#keys.values().next().value
      if (oldest !== undefined) this.#keys.delete(oldest)
    }
    return false
  }
}

export interface CachePrefix {
  /** Identifies the prefix; equal keys mean a repeated prefix. */
  key: string
  tokens: number
}

export interface CacheOutcome {
  readTokens: number
  writeTokens: number
}

// Both providers cache only prefixes of at least 1024 tokens; OpenAI counts hits in 128s.
const CACHEABLE_TOKENS_MIN = 1024

/**
 * How many prompt tokens came from the cache: the `x-fake-cached-tokens` header decides when
 * given; otherwise a prefix long enough is written on first sight and read on repeats.
 */
export function cacheOutcome(
  cache: PromptCache,
  prefix: CachePrefix | null,
  promptTokens: number,
  granularityTokens: number,
  overrideTokens: number | null,
): CacheOutcome {
  if (overrideTokens !== null) {
    return { readTokens: Math.min(Math.floor(overrideTokens), promptTokens), writeTokens: 0 }
  }
  if (prefix === null || prefix.tokens < CACHEABLE_TOKENS_MIN) {
    return { readTokens: 0, writeTokens: 0 }
  }
  if (cache.lookup(prefix.key)) {
    const readTokens = Math.floor(prefix.tokens / granularityTokens) * granularityTokens
    return { readTokens: Math.min(readTokens, promptTokens), writeTokens: 0 }
  }
  return { readTokens: 0, writeTokens: Math.min(prefix.tokens, promptTokens) }
}

/** A 64-bit fingerprint of a prompt prefix: two differently seeded 32-bit hashes of its JSON. */
export function prefixKey(model: string, prefix: unknown): string {
  const json = `${model}\u0000${JSON.stringify(prefix)}`
  return `${hashString(json).toString(16)}-${hashString(json, 0x9e3779b9).toString(16)}`
}
