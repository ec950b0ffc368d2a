import type { calcPrice } from '@pydantic/genai-prices'
import { compileModelInfo, type PriceHistory, pricesAt } from './library-prices.ts'
import { libraryProvider } from './library-provider.ts'
import { checkOverrides } from './override-file.ts'
import { overrideLookup, type PriceOverride } from './overrides.ts'
import {
  billableInputTokens,
  billableOutputTokens,
  billableTokens,
  costUsd,
  type PriceUsage,
  type TokenPrices,
} from './token-prices.ts'

export interface Pricer {
  /** USD cost of one call, or null when no price is known for this provider/model. */
  price(provider: string | null, model: string, usage: PriceUsage, timeMs: number): number | null
}

export type CalcPrice = typeof calcPrice

/** What we learned about one (provider, model) pair, kept so the next call is cheap. */
type Resolution =
  | { readonly kind: 'unpriced' }
  | { readonly kind: 'fixed'; readonly prices: TokenPrices }
  | { readonly kind: 'history'; readonly history: PriceHistory }
  | { readonly kind: 'library'; readonly providerId: string | undefined }

const unpriced: Resolution = { kind: 'unpriced' }

/**
 * Distinct (provider, model) pairs remembered before the cache starts over. Real traffic has tens
 * of models; 4,096 entries of about 200 bytes stay under 1 MB, and refilling after a reset costs
 * one library lookup (about 100 µs) per pair.
 */
const resolutionsMax = 4096

/** The library's usage for one call; cache and reasoning counts are parts of the totals. */
function libraryUsage(usage: PriceUsage): Record<string, number> {
  return {
    input_tokens: billableInputTokens(usage),
    output_tokens: billableOutputTokens(usage),
    cache_read_tokens: billableTokens(usage.cacheReadTokens),
    cache_write_tokens: billableTokens(usage.cacheWriteTokens),
    output_reasoning_tokens: billableTokens(usage.reasoningTokens),
  }
}

function resolveInLibrary(calc: CalcPrice, provider: string | null, model: string): Resolution {
  const target = libraryProvider(provider)
  if (target.kind === 'none') return unpriced

  const providerId = target.kind === 'provider' ? target.providerId : undefined
  let found: ReturnType<CalcPrice>
  try {
    found = calc({}, model, { providerId })
  } catch {
    // The library throws only on malformed price data; such a model has no usable price.
    return unpriced
  }
  if (found === null) return unpriced

  const history = compileModelInfo(found.model)
  if (history === null) return { kind: 'library', providerId }
  const only = history.periodsNewestFirst.length === 1 ? history.fallback : null
  return only === null ? { kind: 'history', history } : { kind: 'fixed', prices: only }
}

/** Whole epoch milliseconds, as a Date keeps them; a broken clock value prices at "now". */
function wholeMs(timeMs: number): number {
  return Number.isFinite(timeMs) ? Math.trunc(timeMs) : Date.now()
}

/**
 * Builds a pricer over a price calculator; `createPricer` passes the library's. Prices for each
 * (provider, model) pair are looked up once and then evaluated here, at well under a microsecond
 * a call, because the library's `calcPrice` costs about 20–30 µs.
 */
export function createPricerWith(
  calc: CalcPrice,
  overrides: readonly PriceOverride[] = [],
): Pricer {
  const findOverride = overrideLookup(checkOverrides('createPricer', 'overrides', overrides))
  const byProvider = new Map<string, Map<string, Resolution>>()
  let resolutionCount = 0

  function resolve(provider: string | null, model: string): Resolution {
    const override = findOverride(provider, model)
    if (override !== null) return { kind: 'fixed', prices: override }
    return resolveInLibrary(calc, provider, model)
  }

  function lookup(provider: string | null, model: string): Resolution {
    const providerKey = provider ?? ''
    let byModel = byProvider.get(providerKey)
    const known = byModel?.get(model)
    if (known !== undefined) return known

    if (resolutionCount >= resolutionsMax) {
      byProvider.clear()
      resolutionCount = 0
      byModel = undefined
    }
    if (byModel === undefined) {
      byModel = new Map()
      byProvider.set(providerKey, byModel)
    }
    const resolution = resolve(provider, model)
    byModel.set(model, resolution)
    resolutionCount += 1
    return resolution
  }

  function priceInLibrary(
    providerId: string | undefined,
    model: string,
    usage: PriceUsage,
    timeMs: number,
  ): number | null {
    try {
      const timestamp = new Date(wholeMs(timeMs))
      return calc(libraryUsage(usage), model, { providerId, timestamp })?.total_price ?? null
    } catch {
      return null
    }
  }

  return {
    price(provider, model, usage, timeMs) {
      const resolution = lookup(provider, model)
      switch (resolution.kind) {
        case 'fixed':
          return costUsd(resolution.prices, usage)
        case 'history':
          return costUsd(pricesAt(resolution.history, wholeMs(timeMs)), usage)
        case 'library':
          return priceInLibrary(resolution.providerId, model, usage, timeMs)
        case 'unpriced':
          return null
      }
    },
  }
}
