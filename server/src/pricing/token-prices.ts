/** Token usage of one call, as the ingest pipeline records it. */
export interface PriceUsage {
  /** All input tokens, cache reads and cache writes included (the OpenAI and OTel convention). */
  inputTokens: number
  /** All output tokens, reasoning tokens included. */
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
}

/** One step of a tiered rate: it applies once the call's total input exceeds `startTokens`. */
export interface RateTier {
  readonly startTokens: number
  readonly perMTokUsd: number
}

/**
 * A rate in USD per million tokens. Long-context prices (Gemini 2.5 Pro above 200k input tokens,
 * for example) step up with the size of the whole prompt, so every token kind of the call pays
 * the rate of the last tier whose start the total input exceeds. `tiers` is sorted by start.
 */
export interface Rate {
  readonly basePerMTokUsd: number
  readonly tiers: readonly RateTier[]
}

/**
 * What a model charges for the token kinds our usage reports. A null cache or reasoning rate
 * means the model has no separate price for those tokens: they stay inside the input or output
 * total and pay its rate.
 */
export interface TokenPrices {
  readonly input: Rate
  readonly output: Rate
  readonly cacheRead: Rate | null
  readonly cacheWrite: Rate | null
  readonly reasoning: Rate | null
  readonly perRequestUsd: number
}

const tokensPerMTok = 1_000_000

/** A flat rate, the same at every prompt size. */
export function flatRate(perMTokUsd: number): Rate {
  return { basePerMTokUsd: perMTokUsd, tiers: [] }
}

/**
 * A count we can bill: negative, NaN and infinite values count as zero, because one broken
 * counter must not turn a whole cost rollup into NaN.
 */
export function billableTokens(count: number): number {
  return count > 0 && count < Number.POSITIVE_INFINITY ? count : 0
}

/**
 * The totals to bill. A total smaller than its own parts (a cache count above the input, or
 * reasoning above the output) is raised to cover them, so every token a provider reported
 * is billed once, at its most specific rate.
 */
export function billableInputTokens(usage: PriceUsage): number {
  const parts = billableTokens(usage.cacheReadTokens) + billableTokens(usage.cacheWriteTokens)
  return Math.max(billableTokens(usage.inputTokens), parts)
}

export function billableOutputTokens(usage: PriceUsage): number {
  return Math.max(billableTokens(usage.outputTokens), billableTokens(usage.reasoningTokens))
}

function rateUsd(rate: Rate, tokens: number, inputTokens: number): number {
  if (tokens <= 0) return 0

  let perMTokUsd = rate.basePerMTokUsd
  for (const tier of rate.tiers) {
    if (inputTokens > tier.startTokens) perMTokUsd = tier.perMTokUsd
  }
  return (perMTokUsd * tokens) / tokensPerMTok
}

/** USD cost of one call. Cache and reasoning tokens are parts of the totals, never added twice. */
export function costUsd(prices: TokenPrices, usage: PriceUsage): number {
  const inputTokens = billableInputTokens(usage)
  const outputTokens = billableOutputTokens(usage)
  let plainInputTokens = inputTokens
  let plainOutputTokens = outputTokens
  let partsUsd = 0

  if (prices.cacheRead !== null) {
    const tokens = billableTokens(usage.cacheReadTokens)
    plainInputTokens -= tokens
    partsUsd += rateUsd(prices.cacheRead, tokens, inputTokens)
  }
  if (prices.cacheWrite !== null) {
    const tokens = billableTokens(usage.cacheWriteTokens)
    plainInputTokens -= tokens
    partsUsd += rateUsd(prices.cacheWrite, tokens, inputTokens)
  }
  if (prices.reasoning !== null) {
    const tokens = billableTokens(usage.reasoningTokens)
    plainOutputTokens -= tokens
    partsUsd += rateUsd(prices.reasoning, tokens, inputTokens)
  }

  const plainUsd =
    rateUsd(prices.input, plainInputTokens, inputTokens) +
    rateUsd(prices.output, plainOutputTokens, inputTokens)
  return plainUsd + partsUsd + prices.perRequestUsd
}
