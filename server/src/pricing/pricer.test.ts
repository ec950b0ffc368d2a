import { afterEach, describe, expect, test } from 'bun:test'
import { calcPrice } from '@pydantic/genai-prices'
import { createPricer } from './index.ts'
import { type CalcPrice, createPricerWith } from './pricer.ts'
import type { PriceUsage } from './token-prices.ts'

const nowMs = Date.parse('2025-06-01T12:00:00Z')

function usage(fields: Partial<PriceUsage>): PriceUsage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    ...fields,
  }
}

describe('price from the library table', () => {
  const pricer = createPricer()

  test('gpt-4o-mini: 1000 in, 500 out costs 0.15 and 0.60 USD per million', () => {
    const call = usage({ inputTokens: 1000, outputTokens: 500 })
    expect(pricer.price('openai', 'gpt-4o-mini', call, nowMs)).toBeCloseTo(0.00045, 15)
    expect(pricer.price('openai', 'gpt-4o-mini-2024-07-18', call, nowMs)).toBeCloseTo(0.00045, 15)
    expect(pricer.price(null, 'gpt-4o-mini', call, nowMs)).toBeCloseTo(0.00045, 15)
  })

  test('cache reads are part of the input and pay their own rate', () => {
    const call = usage({ inputTokens: 1000, cacheReadTokens: 400, outputTokens: 500 })
    // 600 plain × 0.15 + 400 cached × 0.075 + 500 out × 0.60, per million
    expect(pricer.price('openai', 'gpt-4o-mini', call, nowMs)).toBeCloseTo(0.00042, 15)
  })

  test('cache writes pay the write rate (Anthropic, 3.75 USD per million)', () => {
    const call = usage({ inputTokens: 4740, cacheWriteTokens: 4735, outputTokens: 255 })
    // 5 × 3 + 4735 × 3.75 + 255 × 15, per million
    const priced = pricer.price('anthropic', 'claude-sonnet-4-20250514', call, nowMs)
    expect(priced).toBeCloseTo(0.02159625, 15)
  })

  test('a prompt above 200k tokens moves the whole Gemini 2.5 Pro call to the higher tier', () => {
    const atTier = usage({ inputTokens: 200_000, outputTokens: 1000 })
    const aboveTier = usage({ inputTokens: 200_001, outputTokens: 1000 })
    expect(pricer.price('google', 'gemini-2.5-pro', atTier, nowMs)).toBeCloseTo(0.26, 15)
    expect(pricer.price('google', 'gemini-2.5-pro', aboveTier, nowMs)).toBeCloseTo(0.5150025, 15)
  })

  test('reasoning tokens are part of the output, never billed twice', () => {
    const plain = usage({ inputTokens: 1000, outputTokens: 1000 })
    const reasoning = usage({ inputTokens: 1000, outputTokens: 1000, reasoningTokens: 800 })
    const plainUsd = pricer.price('openai', 'o3-mini', plain, nowMs)
    expect(plainUsd).toBeCloseTo(0.0055, 15)
    expect(pricer.price('openai', 'o3-mini', reasoning, nowMs)).toBe(plainUsd)
  })

  test('a separate reasoning rate applies (sonar-deep-research: 3 vs 8 USD per million)', () => {
    const call = usage({ inputTokens: 1000, outputTokens: 1000, reasoningTokens: 600 })
    // 1000 in × 2 + 400 out × 8 + 600 reasoning × 3, per million
    expect(pricer.price('perplexity', 'sonar-deep-research', call, nowMs)).toBeCloseTo(0.007, 15)
  })

  test('a per-request fee is added once per call (sonar, 12 USD per 1,000 requests)', () => {
    const call = usage({ inputTokens: 1000, outputTokens: 1000 })
    expect(pricer.price('perplexity', 'sonar', call, nowMs)).toBeCloseTo(0.014, 15)
  })

  test('DeepSeek off-peak hours (16:30–00:30 UTC) halve the price', () => {
    const call = usage({ inputTokens: 1_000_000 })
    const peakMs = Date.parse('2025-06-01T12:00:00Z')
    const offPeakMs = Date.parse('2025-06-01T20:00:00Z')
    expect(pricer.price('deepseek', 'deepseek-chat', call, peakMs)).toBeCloseTo(0.27, 15)
    expect(pricer.price('deepseek', 'deepseek-chat', call, offPeakMs)).toBeCloseTo(0.135, 15)
  })

  test('our provider ids reach the library under its own names', () => {
    const call = usage({ inputTokens: 1000, outputTokens: 1000 })
    const bedrockId = 'anthropic.claude-3-5-sonnet-20241022-v2:0'
    expect(pricer.price('aws_bedrock', bedrockId, call, nowMs)).toBeCloseTo(0.018, 15)
    const vertexId = 'claude-3-5-haiku@20241022'
    expect(pricer.price('google_vertex', vertexId, call, nowMs)).toBeCloseTo(0.0048, 15)
  })

  test('an unknown provider lets the library match by model id', () => {
    const call = usage({ inputTokens: 1000, outputTokens: 500 })
    expect(pricer.price('my-gateway', 'gpt-4o-mini', call, nowMs)).toBeCloseTo(0.00045, 15)
  })

  test('no price is known for an unknown model or a self-hosted runtime', () => {
    const call = usage({ inputTokens: 1000, outputTokens: 500 })
    expect(pricer.price('openai', 'no-such-model', call, nowMs)).toBeNull()
    expect(pricer.price(null, 'llama-3.1-8b-instruct', call, nowMs)).toBeNull()
    expect(pricer.price('vllm', 'gpt-4o-mini', call, nowMs)).toBeNull()
  })

  test('broken counts bill as zero and totals grow to cover their parts', () => {
    const broken = usage({ inputTokens: Number.NaN, outputTokens: -5, cacheReadTokens: 1000 })
    // The 1000 cache reads are the whole input: 1000 × 0.075 per million.
    expect(pricer.price('openai', 'gpt-4o-mini', broken, nowMs)).toBeCloseTo(0.000075, 15)
  })
})

describe('overrides', () => {
  const vllmLlama = {
    model: 'llama-3.1-8b-instruct',
    provider: 'vllm',
    inputPerMTokUsd: 0.1,
    outputPerMTokUsd: 0.2,
  }
  const million = usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 })

  test('price a self-hosted model for its provider only', () => {
    const pricer = createPricer({ overrides: [vllmLlama] })
    expect(pricer.price('vllm', 'llama-3.1-8b-instruct', million, nowMs)).toBeCloseTo(0.3, 15)
    expect(pricer.price('vllm', 'Llama-3.1-8B-Instruct', million, nowMs)).toBeCloseTo(0.3, 15)
    expect(pricer.price('ollama', 'llama-3.1-8b-instruct', million, nowMs)).toBeNull()
  })

  test('win over the library, first match in order', () => {
    const pricer = createPricer({
      overrides: [
        { match: '^gpt-4o', inputPerMTokUsd: 1, outputPerMTokUsd: 2 },
        { model: 'gpt-4o-mini', inputPerMTokUsd: 5, outputPerMTokUsd: 5 },
      ],
    })
    expect(pricer.price('openai', 'gpt-4o-mini', million, nowMs)).toBeCloseTo(3, 15)
    expect(pricer.price('openai', 'o3-mini', million, nowMs)).toBeCloseTo(5.5, 15)
  })

  test('a price of 0 is a free model, not an unknown one', () => {
    const pricer = createPricer({
      overrides: [{ ...vllmLlama, inputPerMTokUsd: 0, outputPerMTokUsd: 0 }],
    })
    expect(pricer.price('vllm', 'llama-3.1-8b-instruct', million, nowMs)).toBe(0)
  })

  test('cache tokens pay the input rate unless the override gives a cache rate', () => {
    const cached = usage({
      inputTokens: 1_000_000,
      cacheReadTokens: 500_000,
      cacheWriteTokens: 100_000,
    })
    const plain = createPricer({ overrides: [vllmLlama] })
    expect(plain.price('vllm', 'llama-3.1-8b-instruct', cached, nowMs)).toBeCloseTo(0.1, 15)

    const withCache = createPricer({
      overrides: [{ ...vllmLlama, cacheReadPerMTokUsd: 0.02, cacheWritePerMTokUsd: 0.5 }],
    })
    // 400k plain × 0.1 + 500k read × 0.02 + 100k written × 0.5, per million
    const priced = withCache.price('vllm', 'llama-3.1-8b-instruct', cached, nowMs)
    expect(priced).toBeCloseTo(0.04 + 0.01 + 0.05, 15)
  })

  test('are checked when given in code, naming the mistake', () => {
    const bad = [{ model: 'x', inputPerMTokUsd: -1, outputPerMTokUsd: 0 }]
    expect(() => createPricer({ overrides: bad })).toThrow(
      'createPricer: overrides[0].inputPerMTokUsd must be a number ≥ 0 (actual: -1)',
    )
  })
})

describe('the library is consulted once per model', () => {
  function counting(inner: CalcPrice): { calc: CalcPrice; calls: () => number } {
    let count = 0
    const calc: CalcPrice = (...args) => {
      count += 1
      return inner(...args)
    }
    return { calc, calls: () => count }
  }

  test('repeat calls for a known shape never reach calcPrice', () => {
    const { calc, calls } = counting(calcPrice)
    const pricer = createPricerWith(calc)
    const call = usage({ inputTokens: 300_000, outputTokens: 500 })
    for (let i = 0; i < 100; i++) pricer.price('google', 'gemini-2.5-pro', call, nowMs + i)
    for (let i = 0; i < 100; i++) pricer.price('deepseek', 'deepseek-chat', call, nowMs + i)
    for (let i = 0; i < 100; i++) pricer.price(null, 'no-such-model', call, nowMs)
    expect(calls()).toBe(3)
  })

  test('a price shape we cannot evaluate goes to calcPrice on every call', () => {
    const futureShape: CalcPrice = (used, modelId, options) => {
      const known = calcPrice(used, 'gpt-4o-mini', options)
      if (known === null) return null
      const model = { ...known.model, id: modelId, prices: { input_mtok: 1, future_unit_mtok: 9 } }
      return { ...known, model, total_price: 42 }
    }
    const { calc, calls } = counting(futureShape)
    const pricer = createPricerWith(calc)
    const call = usage({ inputTokens: 10 })
    expect(pricer.price('openai', 'gpt-9', call, nowMs)).toBe(42)
    expect(pricer.price('openai', 'gpt-9', call, nowMs)).toBe(42)
    expect(calls()).toBe(3)
  })
})

describe('nothing leaves the machine', () => {
  const realFetch = globalThis.fetch
  afterEach(() => {
    globalThis.fetch = realFetch
  })

  test('pricing never fetches remote price data', () => {
    let fetches = 0
    globalThis.fetch = Object.assign(
      async () => {
        fetches += 1
        throw new Error('no network in this test')
      },
      { preconnect: realFetch.preconnect },
    )
    const pricer = createPricer()
    const call = usage({ inputTokens: 1000, outputTokens: 500 })
    for (const model of ['gpt-4o', 'claude-sonnet-4-20250514', 'gemini-2.5-pro', 'unknown-x']) {
      pricer.price(null, model, call, nowMs)
    }
    expect(fetches).toBe(0)
  })
})
