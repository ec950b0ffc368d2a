import { flatRate, type TokenPrices } from './token-prices.ts'

/**
 * The user's price for a custom or self-hosted model; it wins over the public price list.
 * Exactly one of `model` and `match` names the models it covers.
 *
 * @example
 * { model: 'llama-3.1-8b-instruct', provider: 'vllm', inputPerMTokUsd: 0.1, outputPerMTokUsd: 0.2 }
 */
export interface PriceOverride {
  /** The model id, compared without regard to case. */
  model?: string
  /** A JavaScript regular expression tested against the model id, ignoring case, unanchored. */
  match?: string
  /** Only calls from this provider (our normalised id, such as `vllm`); any provider if absent. */
  provider?: string
  inputPerMTokUsd: number
  outputPerMTokUsd: number
  /** Cache reads; billed at the input rate if absent. */
  cacheReadPerMTokUsd?: number
  /** Cache writes; billed at the input rate if absent. */
  cacheWritePerMTokUsd?: number
}

interface CompiledOverride {
  readonly model: string | null
  readonly pattern: RegExp | null
  readonly provider: string | null
  readonly prices: TokenPrices
}

/** Finds the first override, in file order, that covers a call. */
export type OverrideLookup = (provider: string | null, model: string) => TokenPrices | null

function compile(override: PriceOverride): CompiledOverride {
  const { cacheReadPerMTokUsd: cacheRead, cacheWritePerMTokUsd: cacheWrite } = override
  return {
    model: override.model === undefined ? null : override.model.trim().toLowerCase(),
    pattern: override.match === undefined ? null : new RegExp(override.match, 'i'),
    provider: override.provider === undefined ? null : override.provider.trim().toLowerCase(),
    prices: {
      input: flatRate(override.inputPerMTokUsd),
      output: flatRate(override.outputPerMTokUsd),
      cacheRead: cacheRead === undefined ? null : flatRate(cacheRead),
      cacheWrite: cacheWrite === undefined ? null : flatRate(cacheWrite),
      reasoning: null,
      perRequestUsd: 0,
    },
  }
}

function covers(override: CompiledOverride, provider: string | null, model: string): boolean {
  if (override.provider !== null && override.provider !== provider) return false
  if (override.model !== null) return override.model === model.trim().toLowerCase()
  return override.pattern?.test(model) ?? false
}

/** Prepares overrides once; the lookup runs only when a (provider, model) pair is first seen. */
export function overrideLookup(overrides: readonly PriceOverride[]): OverrideLookup {
  const compiled = overrides.map(compile)
  return function findOverride(provider, model) {
    for (const override of compiled) {
      if (covers(override, provider, model)) return override.prices
    }
    return null
  }
}
