import { calcPrice } from '@pydantic/genai-prices'
import type { PriceOverride } from './overrides.ts'
import { createPricerWith, type Pricer } from './pricer.ts'

export { loadPriceOverrides } from './override-file.ts'
export type { PriceOverride } from './overrides.ts'
export type { Pricer } from './pricer.ts'
export type { PriceUsage } from './token-prices.ts'

/**
 * Prices LLM calls from the bundled @pydantic/genai-prices table, with the user's overrides
 * first. Nothing is fetched: the library's remote update is never enabled.
 *
 * @example
 * const pricer = createPricer({ overrides: loadPriceOverrides('prices.json') })
 * const usage = { inputTokens: 1000, outputTokens: 500 }
 * const none = { cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }
 * pricer.price('openai', 'gpt-4o-mini', { ...usage, ...none }, Date.now()) // 0.00045
 */
export function createPricer(options?: { overrides?: readonly PriceOverride[] }): Pricer {
  return createPricerWith(calcPrice, options?.overrides)
}
