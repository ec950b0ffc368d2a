import { describe, expect, test } from 'bun:test'
import { drawError } from './errors.ts'
import { createFakeProvider } from './index.ts'
import { createRandom } from './random.ts'
import { postJson, useFakeProvider } from './test-support.ts'

const fake = useFakeProvider({ retryAfterMs: 1500 })

const chat = (headers: Record<string, string>, content = 'hello') =>
  postJson(
    `${fake.url()}/v1/chat/completions`,
    { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] },
    headers,
  )
const messages = (headers: Record<string, string>) =>
  postJson(
    `${fake.url()}/v1/messages`,
    { model: 'claude-sonnet-4', max_tokens: 64, messages: [{ role: 'user', content: 'hello' }] },
    headers,
  )

describe('x-fake-error on OpenAI endpoints', () => {
  test.each([
    ['429', 429, 'requests', 'rate_limit_exceeded'],
    ['rate_limit', 429, 'requests', 'rate_limit_exceeded'],
    ['500', 500, 'server_error', null],
    ['401', 401, 'invalid_request_error', 'invalid_api_key'],
    ['503', 503, 'server_error', null],
    ['context_length', 400, 'invalid_request_error', 'context_length_exceeded'],
  ])('%s answers %d with type %s and code %s', async (value, status, type, code) => {
    const response = await chat({ 'x-fake-error': value })
    expect(response.status).toBe(status)
    expect(response.headers.get('x-request-id')).toMatch(/^req_/)
    const body = await response.json()
    expect(Object.keys(body)).toEqual(['error'])
    expect(body.error).toMatchObject({ type, code })
    expect(body.error).toHaveProperty('param')
    expect(typeof body.error.message).toBe('string')
  })

  test('429 carries retry-after in seconds and retry-after-ms', async () => {
    const response = await chat({ 'x-fake-error': '429' })
    expect(response.headers.get('retry-after')).toBe('2')
    expect(response.headers.get('retry-after-ms')).toBe('1500')
  })

  test('context_length says "maximum context length" with the window size', async () => {
    const response = await chat({ 'x-fake-error': 'context_length' })
    const body = await response.json()
    expect(body.error.message).toContain("This model's maximum context length is 128000 tokens")
    expect(body.error.param).toBe('messages')
  })

  test('timeout holds the request for x-fake-delay-ms, then answers 504', async () => {
    const startedMs = performance.now()
    const response = await chat({ 'x-fake-error': 'timeout', 'x-fake-delay-ms': '80' })
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(75)
    expect(response.status).toBe(504)
    expect((await response.json()).error.code).toBe('timeout')
  })

  test('a held timeout is released as soon as the client goes away', async () => {
    const provider = createFakeProvider()
    const controller = new AbortController()
    const startedMs = performance.now()
    const pending = provider.fetch(
      new Request('http://fake/v1/chat/completions', {
        method: 'POST',
        headers: { 'x-fake-error': 'timeout', 'x-fake-delay-ms': '60000' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
        signal: controller.signal,
      }),
    )
    setTimeout(() => controller.abort(), 30)
    expect((await pending).status).toBe(504)
    expect(performance.now() - startedMs).toBeLessThan(2000)
  })

  test('an unknown x-fake-error value is a 400 listing the allowed values', async () => {
    const response = await chat({ 'x-fake-error': '418' })
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.error.message).toContain('x-fake-error must be one of')
    expect(body.error.message).toContain('"418"')
  })
})

describe('x-fake-error on the Anthropic endpoint', () => {
  test.each([
    ['429', 429, 'rate_limit_error'],
    ['500', 500, 'api_error'],
    ['401', 401, 'authentication_error'],
    ['529', 529, 'overloaded_error'],
    ['overloaded', 529, 'overloaded_error'],
    ['context_length', 400, 'invalid_request_error'],
  ])('%s answers %d with error type %s', async (value, status, type) => {
    const response = await messages({ 'x-fake-error': value })
    expect(response.status).toBe(status)
    const body = await response.json()
    expect(body.type).toBe('error')
    expect(body.error.type).toBe(type)
    expect(body.request_id).toBe(response.headers.get('request-id'))
  })

  test('context_length says "prompt is too long"', async () => {
    const body = await (await messages({ 'x-fake-error': 'context_length' })).json()
    expect(body.error.message).toStartWith('prompt is too long:')
    expect(body.error.message).toContain('> 200000 maximum')
  })

  test('timeout answers 504 timeout_error after the hold', async () => {
    const response = await messages({ 'x-fake-error': 'timeout', 'x-fake-delay-ms': '10' })
    expect(response.status).toBe(504)
    expect((await response.json()).error.type).toBe('timeout_error')
  })
})

describe('errors real requests earn', () => {
  test('a prompt over the context window is refused like the real API', async () => {
    const small = createFakeProvider({ models: { 'gpt-4o-mini': { contextWindowTokens: 50 } } })
    const response = await small.fetch(
      new Request('http://fake/v1/chat/completions', {
        method: 'POST',
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'word '.repeat(100) }],
        }),
      }),
    )
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.error.code).toBe('context_length_exceeded')
    expect(body.error.message).toContain('maximum context length is 50 tokens')
  })

  test('a body that is not JSON is a 400 in the shape of the API asked', async () => {
    const response = await fetch(`${fake.url()}/v1/messages`, { method: 'POST', body: 'nope' })
    expect(response.status).toBe(400)
    expect((await response.json()).error.type).toBe('invalid_request_error')
  })

  test('an unknown path is a 404', async () => {
    const response = await fetch(`${fake.url()}/v1/nothing`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(404)
    expect((await response.json()).error.message).toBe('Invalid URL (POST /v1/nothing)')
  })

  test('with apiKeys set, a missing or wrong key is refused with 401', async () => {
    const guarded = createFakeProvider({ apiKeys: ['sk-right'] })
    const call = (headers: Record<string, string>) =>
      guarded.fetch(
        new Request('http://fake/v1/chat/completions', {
          method: 'POST',
          headers,
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
        }),
      )
    expect((await call({})).status).toBe(401)
    expect((await call({ authorization: 'Bearer sk-wrong' })).status).toBe(401)
    expect((await call({ authorization: 'Bearer sk-right' })).status).toBe(200)
  })
})

describe('configured error rates', () => {
  const statuses = async (seed: number, count: number): Promise<number[]> => {
    const flaky = createFakeProvider({ seed, models: { 'gpt-4o-mini': { errorRate: 0.3 } } })
    const result: number[] = []
    for (let index = 0; index < count; index++) {
      const response = await flaky.fetch(
        new Request('http://fake/v1/chat/completions', {
          method: 'POST',
          body: JSON.stringify({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: 'hi' }],
          }),
        }),
      )
      result.push(response.status)
    }
    return result
  }

  test('the same seed fails the same calls with the same errors', async () => {
    const first = await statuses(7, 200)
    expect(await statuses(7, 200)).toEqual(first)
    expect(await statuses(8, 200)).not.toEqual(first)
  })

  test('about the configured share of calls fail, with kinds from the default mix', async () => {
    const result = await statuses(3, 400)
    const failed = result.filter((status) => status !== 200)
    expect(failed.length / result.length).toBeGreaterThan(0.22)
    expect(failed.length / result.length).toBeLessThan(0.38)
    expect(new Set(failed)).toEqual(new Set([429, 500, 503]))
  })

  test('drawError picks kinds in proportion to their weights', () => {
    const random = createRandom(11)
    const counts = { rate_limit: 0, timeout: 0 }
    for (let index = 0; index < 10_000; index++) {
      const kind = drawError(random, 1, { rate_limit: 3, timeout: 1 })
      if (kind === 'rate_limit' || kind === 'timeout') counts[kind]++
    }
    expect(counts.rate_limit + counts.timeout).toBe(10_000)
    expect(counts.rate_limit / 10_000).toBeCloseTo(0.75, 1)
  })
})
