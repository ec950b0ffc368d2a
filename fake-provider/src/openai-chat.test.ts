import { describe, expect, test } from 'bun:test'
import { countTokens, reasoningTokensFor, replyText } from './index.ts'
import { payloads, postJson, readEvents, useFakeProvider } from './test-support.ts'

interface ToolCall {
  id?: string
  index?: number
  type?: string
  function: { name?: string; arguments: string }
}
interface Message {
  role: string
  content: string | null
  tool_calls?: ToolCall[]
}
interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details: { cached_tokens: number }
  completion_tokens_details: { reasoning_tokens: number }
}
interface Completion {
  id: string
  object: string
  model: string
  choices: Array<{ message: Message; finish_reason: string }>
  usage: Usage
}
interface Chunk {
  object: string
  model: string
  choices: Array<{ delta: Partial<Message>; finish_reason: string | null }>
  usage?: Usage | null
}

const fake = useFakeProvider()
const chatUrl = () => `${fake.url()}/v1/chat/completions`

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer' } },
      required: ['city'],
    },
  },
}

describe('POST /v1/chat/completions', () => {
  test('answers with a deterministic echo, the dated model id and consistent usage', async () => {
    const prompt = 'Summarise the quarterly report in two sentences'
    const response = await postJson(chatUrl(), {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: prompt },
      ],
    })

    expect(response.status).toBe(200)
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/)
    const body: Completion = await response.json()
    expect(body.id).toMatch(/^chatcmpl-/)
    expect(body.object).toBe('chat.completion')
    expect(body.model).toBe('gpt-4o-mini-2024-07-18')
    expect(body.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: replyText(prompt),
    })
    expect(body.choices[0]?.finish_reason).toBe('stop')
    expect(body.usage.completion_tokens).toBe(countTokens(replyText(prompt)))
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens + body.usage.completion_tokens)
    expect(body.usage.prompt_tokens).toBeGreaterThan(countTokens(prompt))
    expect(body.usage.prompt_tokens_details.cached_tokens).toBe(0)
    expect(body.usage.completion_tokens_details.reasoning_tokens).toBe(0)
  })

  test('a model it does not know is answered under its own name', async () => {
    const response = await postJson(chatUrl(), {
      model: 'my-finetune',
      messages: [{ role: 'user', content: 'hi' }],
    })
    const body: Completion = await response.json()
    expect(body.model).toBe('my-finetune')
  })

  test('o-series models report reasoning tokens inside completion tokens', async () => {
    const prompt = 'Prove that there are infinitely many primes'
    const response = await postJson(chatUrl(), {
      model: 'o3-mini',
      messages: [{ role: 'user', content: prompt }],
    })
    const body: Completion = await response.json()
    const reasoningTokens = reasoningTokensFor(prompt)
    expect(body.model).toBe('o3-mini-2025-01-31')
    expect(body.usage.completion_tokens_details.reasoning_tokens).toBe(reasoningTokens)
    expect(body.usage.completion_tokens).toBe(reasoningTokens + countTokens(replyText(prompt)))
  })

  test('max_tokens cuts the answer short with finish_reason "length"', async () => {
    const response = await postJson(chatUrl(), {
      model: 'gpt-4o',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'one two three four five six seven eight nine ten' }],
    })
    const body: Completion = await response.json()
    expect(body.choices[0]?.finish_reason).toBe('length')
    expect(body.usage.completion_tokens).toBeLessThanOrEqual(5)
    expect(replyText('one two three four five six seven eight nine ten')).toStartWith(
      body.choices[0]?.message.content ?? '',
    )
  })

  test('streams the same text as chunks, then a usage chunk, then [DONE]', async () => {
    const prompt = 'Write a haiku about observability'
    const response = await postJson(chatUrl(), {
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: prompt }],
    })

    expect(response.headers.get('content-type')).toStartWith('text/event-stream')
    const events = await readEvents(response)
    expect(events.at(-1)?.data).toBe('[DONE]')
    expect(events.every((event) => event.event === null)).toBe(true)

    const chunks = payloads(events) as unknown as Chunk[]
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true)
    expect(chunks.every((chunk) => chunk.model === 'gpt-4o-mini-2024-07-18')).toBe(true)
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe(replyText(prompt))

    const finishing = chunks.at(-2)
    expect(finishing?.choices[0]?.finish_reason).toBe('stop')
    expect(finishing?.usage).toBeNull()
    const usageChunk = chunks.at(-1)
    expect(usageChunk?.choices).toEqual([])
    expect(usageChunk?.usage?.completion_tokens).toBe(countTokens(replyText(prompt)))
  })

  test('without include_usage no chunk carries a usage field', async () => {
    const response = await postJson(chatUrl(), {
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'hello' }],
    })
    const chunks = payloads(await readEvents(response))
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false)
  })
})

describe('tool calls in chat completions', () => {
  test('a user turn mentioning "tool" gets a tool call with schema-shaped arguments', async () => {
    const response = await postJson(chatUrl(), {
      model: 'gpt-4o',
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'Use the weather tool for Paris' }],
    })
    const body: Completion = await response.json()
    const choice = body.choices[0]
    expect(choice?.finish_reason).toBe('tool_calls')
    expect(choice?.message.content).toBeNull()
    const call = choice?.message.tool_calls?.[0]
    expect(call?.id).toMatch(/^call_/)
    expect(call?.type).toBe('function')
    expect(call?.function.name).toBe('get_weather')
    expect(JSON.parse(call?.function.arguments ?? '')).toEqual({ city: 'Use the weather', days: 6 })
  })

  test('without the word "tool" the model answers in text', async () => {
    const response = await postJson(chatUrl(), {
      model: 'gpt-4o',
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    })
    const body: Completion = await response.json()
    expect(body.choices[0]?.finish_reason).toBe('stop')
  })

  test('tool_choice naming a function forces that call', async () => {
    const response = await postJson(chatUrl(), {
      model: 'gpt-4o',
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      messages: [{ role: 'user', content: 'Paris?' }],
    })
    const body: Completion = await response.json()
    expect(body.choices[0]?.message.tool_calls?.[0]?.function.name).toBe('get_weather')
  })

  test('after a tool result the model answers in text, ending the agent loop', async () => {
    const response = await postJson(chatUrl(), {
      model: 'gpt-4o',
      tools: [WEATHER_TOOL],
      messages: [
        { role: 'user', content: 'Use the weather tool for Paris' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny 21C' },
      ],
    })
    const body: Completion = await response.json()
    expect(body.choices[0]?.finish_reason).toBe('stop')
    expect(body.choices[0]?.message.content).toBe(replyText('sunny 21C'))
  })

  test('streams a tool call as deltas whose arguments join into the full JSON', async () => {
    const response = await postJson(chatUrl(), {
      model: 'gpt-4o-mini',
      stream: true,
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'Call a tool please' }],
    })
    const chunks = payloads(await readEvents(response)) as unknown as Chunk[]
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
    expect(deltas[0]).toMatchObject({
      index: 0,
      type: 'function',
      function: { name: 'get_weather' },
    })
    expect(deltas[0]?.id).toMatch(/^call_/)
    const argumentsJson = deltas.map((delta) => delta.function.arguments).join('')
    expect(JSON.parse(argumentsJson)).toEqual({ city: 'Call a tool', days: 4 })
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls')
  })
})

describe('prompt caching in chat completions', () => {
  const longSystem = 'policy '.repeat(1200)

  test('a repeated prefix of 1024+ tokens is reported as cached, in steps of 128', async () => {
    const request = (question: string) => ({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: longSystem },
        { role: 'user', content: question },
      ],
    })
    const first: Completion = await (await postJson(chatUrl(), request('first question'))).json()
    const second: Completion = await (await postJson(chatUrl(), request('second one'))).json()

    expect(first.usage.prompt_tokens_details.cached_tokens).toBe(0)
    const cached = second.usage.prompt_tokens_details.cached_tokens
    expect(cached).toBeGreaterThanOrEqual(1024)
    expect(cached % 128).toBe(0)
    expect(cached).toBeLessThanOrEqual(second.usage.prompt_tokens)
  })

  test('x-fake-cached-tokens sets the cached count, capped at the prompt size', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'short prompt' }] }
    const some: Completion = await (
      await postJson(chatUrl(), body, { 'x-fake-cached-tokens': '3' })
    ).json()
    const tooMany: Completion = await (
      await postJson(chatUrl(), body, { 'x-fake-cached-tokens': '100000' })
    ).json()
    expect(some.usage.prompt_tokens_details.cached_tokens).toBe(3)
    expect(tooMany.usage.prompt_tokens_details.cached_tokens).toBe(tooMany.usage.prompt_tokens)
  })
})
