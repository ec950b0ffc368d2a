import { describe, expect, test } from 'bun:test'
import { calcPrice, findProvider } from '@pydantic/genai-prices'
import { libraryProvider } from './library-provider.ts'
import { createPricerWith } from './pricer.ts'
import type { PriceUsage } from './token-prices.ts'

/** Relative difference allowed between our arithmetic and the library's: rounding order only. */
const toleranceRelative = 1e-12

/** A seeded generator (mulberry32), so a failure reproduces. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * Usages that reach every branch: small calls, prompts just around and far above the 200k and
 * 272k tier starts, cache reads and writes up to the whole prompt, and reasoning up to the
 * whole output.
 */
function randomUsages(random: () => number, count: number): PriceUsage[] {
  const inputSizes = [0, 1, 1000, 199_999, 200_000, 200_001, 271_999, 272_000, 1_500_000]
  const usages: PriceUsage[] = []
  for (let i = 0; i < count; i++) {
    const near = inputSizes[i % inputSizes.length] ?? 0
    const inputTokens = i < inputSizes.length ? near : Math.floor(random() * 600_000)
    const cacheReadTokens = Math.floor(random() * inputTokens * (random() < 0.5 ? 0 : 0.9))
    const cacheWriteTokens = Math.floor(random() * (inputTokens - cacheReadTokens) * 0.5)
    const outputTokens = Math.floor(random() * 40_000)
    const reasoningTokens = Math.floor(random() * outputTokens * (random() < 0.5 ? 0 : 1))
    usages.push({ inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens })
  }
  return usages
}

const firstMs = Date.parse('2024-01-01T00:00:00Z')
const lastMs = Date.parse('2028-01-01T00:00:00Z')

/** Instants around every date and daily-window boundary in the catalog, plus random ones. */
function instants(random: () => number, count: number): number[] {
  const boundaries = [
    '2025-06-10T00:00:00Z',
    '2025-12-02T00:00:00Z',
    '2026-08-17T00:00:00Z',
    '2027-01-01T00:00:00Z',
    '2025-06-01T00:30:00Z',
    '2025-06-01T16:30:00Z',
    '2026-09-01T01:00:00Z',
    '2026-09-01T04:00:00Z',
  ].map(Date.parse)
  const result = boundaries.flatMap((ms) => [ms - 1, ms, ms + 1])
  for (let i = 0; i < count; i++) result.push(firstMs + Math.floor(random() * (lastMs - firstMs)))
  return result
}

/** What the library itself says, called the slow way for every usage. */
function libraryPrice(provider: string | null, model: string, usage: PriceUsage, timeMs: number) {
  const target = libraryProvider(provider)
  if (target.kind === 'none') return null
  const providerId = target.kind === 'provider' ? target.providerId : undefined
  const libraryUsage = {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadTokens,
    cache_write_tokens: usage.cacheWriteTokens,
    output_reasoning_tokens: usage.reasoningTokens,
  }
  const timestamp = new Date(timeMs)
  return calcPrice(libraryUsage, model, { providerId, timestamp })?.total_price ?? null
}

function expectSamePrice(actual: number | null, expected: number | null, label: string): void {
  if (expected === null || actual === null) {
    expect({ label, actual }).toEqual({ label, actual: expected })
    return
  }
  const scale = Math.max(Math.abs(expected), Math.abs(actual))
  const differenceRelative = scale === 0 ? 0 : Math.abs(actual - expected) / scale
  if (differenceRelative > toleranceRelative) {
    expect({ label, actual }).toEqual({ label, actual: expected })
  }
}

/** Real ids as applications send them: dated, tiered, routed, and with no provider at all. */
const realCalls: readonly [string | null, string][] = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o-mini-2024-07-18'],
  ['openai', 'gpt-4o-2024-08-06'],
  ['openai', 'gpt-4.1'],
  ['openai', 'o3'],
  ['openai', 'o3-mini'],
  ['openai', 'gpt-3.5-turbo-0125'],
  ['openai', 'text-embedding-3-small'],
  ['openai', 'gpt-5.6-sol'],
  [null, 'gpt-4o-mini'],
  ['my-gateway', 'gpt-4o'],
  ['azure', 'gpt-4o'],
  ['anthropic', 'claude-sonnet-4-20250514'],
  ['anthropic', 'claude-3-5-sonnet-20241022'],
  ['anthropic', 'claude-3-5-haiku-latest'],
  ['anthropic', 'claude-opus-4-6'],
  ['anthropic', 'claude-sonnet-4-6'],
  [null, 'claude-3-haiku-20240307'],
  ['aws_bedrock', 'anthropic.claude-3-5-sonnet-20241022-v2:0'],
  ['aws_bedrock', 'amazon.nova-pro-v1:0'],
  ['google', 'gemini-2.5-pro'],
  ['google', 'gemini-2.5-flash'],
  ['google', 'gemini-2.0-flash-001'],
  ['google', 'gemini-1.5-pro'],
  [null, 'gemini-2.5-pro'],
  ['google_vertex', 'claude-3-5-haiku@20241022'],
  ['google_vertex', 'gemini-2.5-pro'],
  ['mistral', 'mistral-large-2411'],
  ['mistral', 'mistral-large-latest'],
  ['mistral', 'codestral-latest'],
  ['mistral', 'ministral-8b-latest'],
  ['deepseek', 'deepseek-chat'],
  ['deepseek', 'deepseek-reasoner'],
  ['deepseek', 'deepseek-v4-flash'],
  ['groq', 'llama-3.1-8b-instant'],
  ['groq', 'llama-3.3-70b-versatile'],
  ['x-ai', 'grok-3'],
  ['x-ai', 'grok-2-1212'],
  ['cohere', 'command-r-plus'],
  ['perplexity', 'sonar'],
  ['perplexity', 'sonar-deep-research'],
  ['openrouter', 'anthropic/claude-3.5-sonnet'],
  ['vllm', 'llama-3.1-8b-instruct'],
  [null, 'no-such-model'],
]

/** Every model the library lists for these providers, by its own id, under our provider id. */
const catalogProviders: readonly [string, string][] = [
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['google', 'google'],
  ['azure', 'azure'],
  ['aws_bedrock', 'aws'],
  ['mistral', 'mistral'],
  ['deepseek', 'deepseek'],
  ['groq', 'groq'],
  ['x-ai', 'x-ai'],
  ['cohere', 'cohere'],
  ['perplexity', 'perplexity'],
  ['together', 'together'],
  ['fireworks', 'fireworks'],
  ['moonshotai', 'moonshotai'],
  ['openrouter', 'openrouter'],
]

function catalogCalls(): [string, string][] {
  return catalogProviders.flatMap(([ours, theirs]) => {
    const models = findProvider({ providerId: theirs })?.models ?? []
    return models.map((model): [string, string] => [ours, model.id])
  })
}

describe('the fast path prices exactly as the library', () => {
  test('for real model ids, random usages and instants', () => {
    const random = randomSource(20_251_203)
    const usages = randomUsages(random, 40)
    const times = instants(random, 16)
    const pricer = createPricerWith(calcPrice)

    for (const [provider, model] of realCalls) {
      for (const [index, usage] of usages.entries()) {
        const timeMs = times[index % times.length] ?? firstMs
        const label = `${provider}/${model} ${JSON.stringify(usage)} at ${timeMs}`
        const expected = libraryPrice(provider, model, usage, timeMs)
        expectSamePrice(pricer.price(provider, model, usage, timeMs), expected, label)
      }
    }
  })

  test('for every model in the catalogs of 15 providers', () => {
    const calls = catalogCalls()
    expect(calls.length).toBeGreaterThan(1000)

    const random = randomSource(7)
    const usages = randomUsages(random, 12)
    const times = instants(random, 4)
    const pricer = createPricerWith(calcPrice)
    let priced = 0

    for (const [provider, model] of calls) {
      for (const [index, usage] of usages.entries()) {
        const timeMs = times[(index * 7) % times.length] ?? firstMs
        const label = `${provider}/${model} ${JSON.stringify(usage)} at ${timeMs}`
        const expected = libraryPrice(provider, model, usage, timeMs)
        if (expected !== null) priced += 1
        expectSamePrice(pricer.price(provider, model, usage, timeMs), expected, label)
      }
    }
    expect(priced).toBeGreaterThan(calls.length * 10)
  })

  test('at every instant for models whose price changes by date or time of day', () => {
    const dated: readonly [string, string][] = [
      ['deepseek', 'deepseek-chat'],
      ['deepseek', 'deepseek-v4-pro'],
      ['anthropic', 'claude-opus-4-6'],
      ['mistral', 'mistral-medium-latest'],
      ['openai', 'o3'],
      ['google', 'gemini-3.6-flash'],
    ]
    const random = randomSource(99)
    const usage = randomUsages(random, 12)[11] as PriceUsage
    const times = instants(random, 400)
    const pricer = createPricerWith(calcPrice)

    for (const [provider, model] of dated) {
      const seen = new Set<number | null>()
      for (const timeMs of times) {
        const expected = libraryPrice(provider, model, usage, timeMs)
        seen.add(expected)
        expectSamePrice(
          pricer.price(provider, model, usage, timeMs),
          expected,
          `${model} ${timeMs}`,
        )
      }
      expect({ model, pricesSeen: seen.size > 1 }).toEqual({ model, pricesSeen: true })
    }
  })
})
