import { describe, expect, test } from 'bun:test'
import { createFakeProvider } from './index.ts'
import { resolveModel, resolveOptions } from './resolve.ts'
import { useFakeProvider } from './test-support.ts'

describe('options', () => {
  test('configured fields merge over the built-in entry, and defaults sit under both', () => {
    const options = resolveOptions({
      defaults: { errorRate: 0.1 },
      models: { 'gpt-4o': { errorRate: 0.5 }, 'my-model': { provider: 'anthropic' } },
    })
    expect(resolveModel(options, 'gpt-4o')).toMatchObject({
      respondAs: 'gpt-4o-2024-08-06',
      errorRate: 0.5,
    })
    expect(resolveModel(options, 'claude-sonnet-4').errorRate).toBe(0.1)
    expect(resolveModel(options, 'my-model')).toMatchObject({
      provider: 'anthropic',
      contextWindowTokens: 200_000,
    })
    expect(resolveModel(options, 'never-configured')).toMatchObject({
      provider: 'openai',
      respondAs: 'never-configured',
      errorRate: 0.1,
    })
  })

  test('reasoning and embedding models are recognised by name', () => {
    const options = resolveOptions()
    expect(resolveModel(options, 'o1-preview').reasoning).toBe(true)
    expect(resolveModel(options, 'gpt-4o').reasoning).toBe(false)
    expect(resolveModel(options, 'text-embedding-ada-002').kind).toBe('embedding')
  })

  test.each([
    [{ seed: 1.5 }, 'seed must be an integer (actual: 1.5)'],
    [{ embeddingDimensions: 0 }, 'embeddingDimensions must be an integer in 1..4096 (actual: 0)'],
    [
      { models: { x: { errorRate: 2 } } },
      'models["x"].errorRate must be a number in 0..1 (actual: 2)',
    ],
    [
      { defaults: { latency: { medianMs: 100, p95Ms: 50 } } },
      'defaults.latency.p95Ms must be a number >= medianMs (100) (actual: 50)',
    ],
    [{ spikes: [{ multiplier: 0 }] }, 'spikes[0].multiplier must be a number > 0 (actual: 0)'],
    [{ timeoutHoldMs: Number.NaN }, 'timeoutHoldMs must be a number >= 0 (actual: NaN)'],
  ])('rejects %j at construction', (options, message) => {
    expect(() => createFakeProvider(options)).toThrow(`fake-provider: ${message}`)
  })
})

describe('GET routes', () => {
  const fake = useFakeProvider({ models: { 'tiny-llm': { ownedBy: 'vllm' } } })

  test('/healthz answers ok', async () => {
    const response = await fetch(`${fake.url()}/healthz`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('ok')
  })

  test('/v1/models lists OpenAI-compatible models in the OpenAI shape', async () => {
    const body = await (await fetch(`${fake.url()}/v1/models`)).json()
    expect(body.object).toBe('list')
    const ids = body.data.map((model: { id: string }) => model.id)
    expect(ids).toContain('gpt-4o-mini')
    expect(ids).toContain('text-embedding-3-small')
    expect(ids).toContain('tiny-llm')
    expect(ids).not.toContain('claude-sonnet-4')
    expect(body.data.find((model: { id: string }) => model.id === 'tiny-llm')).toEqual({
      id: 'tiny-llm',
      object: 'model',
      created: 1_700_000_000,
      owned_by: 'vllm',
    })
  })

  test('/v1/models with anthropic-version lists Anthropic models in their shape', async () => {
    const response = await fetch(`${fake.url()}/v1/models`, {
      headers: { 'anthropic-version': '2023-06-01' },
    })
    const body = await response.json()
    expect(body.has_more).toBe(false)
    expect(body.data.every((model: { type: string }) => model.type === 'model')).toBe(true)
    expect(body.data.map((model: { id: string }) => model.id)).toContain('claude-sonnet-4')
    expect(body.first_id).toBe(body.data[0].id)
  })
})
