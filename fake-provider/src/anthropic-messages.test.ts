import { describe, expect, test } from 'bun:test'
import { countTokens, replyText } from './index.ts'
import { payloads, postJson, readEvents, useFakeProvider } from './test-support.ts'

interface Usage {
  input_tokens: number
  output_tokens: number
  cache_creation_input_tokens: number
  cache_read_input_tokens: number
}
interface Block {
  type: string
  text?: string
  id?: string
  name?: string
  input?: unknown
}
interface Message {
  id: string
  type: string
  role: string
  model: string
  content: Block[]
  stop_reason: string | null
  usage: Usage
}
interface StreamEvent {
  type: string
  index?: number
  message?: Message
  content_block?: Block
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string }
  usage?: Usage
}

const fake = useFakeProvider()
const messagesUrl = () => `${fake.url()}/v1/messages`
const HEADERS = { 'anthropic-version': '2023-06-01', 'x-api-key': 'test' }

const SEARCH_TOOL = {
  name: 'search_docs',
  description: 'Search the documentation',
  input_schema: {
    type: 'object',
    properties: { query: { type: 'string' }, limit: { type: 'integer' } },
    required: ['query'],
  },
}

describe('POST /v1/messages', () => {
  test('answers with a text block, the dated model id and end_turn', async () => {
    const prompt = 'Describe the moon in one line'
    const response = await postJson(
      messagesUrl(),
      {
        model: 'claude-sonnet-4',
        max_tokens: 256,
        system: 'Be brief.',
        messages: [{ role: 'user', content: prompt }],
      },
      HEADERS,
    )

    expect(response.status).toBe(200)
    expect(response.headers.get('request-id')).toMatch(/^req_/)
    const body: Message = await response.json()
    expect(body.id).toMatch(/^msg_01/)
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-20250514',
      stop_reason: 'end_turn',
    })
    expect(body.content).toEqual([{ type: 'text', text: replyText(prompt) }])
    expect(body.usage.output_tokens).toBe(countTokens(replyText(prompt)))
    expect(body.usage.input_tokens).toBe(countTokens(prompt) + countTokens('Be brief.'))
    expect(body.usage.cache_read_input_tokens).toBe(0)
    expect(body.usage.cache_creation_input_tokens).toBe(0)
  })

  test('max_tokens is required, as in the real API', async () => {
    const response = await postJson(
      messagesUrl(),
      { model: 'claude-3-5-haiku', messages: [{ role: 'user', content: 'hi' }] },
      HEADERS,
    )
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.type).toBe('error')
    expect(body.error.type).toBe('invalid_request_error')
    expect(body.error.message).toContain('max_tokens')
  })

  test('a small max_tokens stops with stop_reason "max_tokens"', async () => {
    const response = await postJson(
      messagesUrl(),
      {
        model: 'claude-3-5-haiku',
        max_tokens: 3,
        messages: [{ role: 'user', content: 'one two three four five six seven' }],
      },
      HEADERS,
    )
    const body: Message = await response.json()
    expect(body.stop_reason).toBe('max_tokens')
    expect(body.usage.output_tokens).toBeLessThanOrEqual(3)
  })

  test('offers tool_use when tools are given and the prompt mentions a tool', async () => {
    const response = await postJson(
      messagesUrl(),
      {
        model: 'claude-sonnet-4',
        max_tokens: 512,
        tools: [SEARCH_TOOL],
        messages: [{ role: 'user', content: 'Use the search tool for caching' }],
      },
      HEADERS,
    )
    const body: Message = await response.json()
    expect(body.stop_reason).toBe('tool_use')
    expect(body.content[0]?.type).toBe('text')
    const toolUse = body.content[1]
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'search_docs' })
    expect(toolUse?.id).toMatch(/^toolu_01/)
    expect(toolUse?.input).toEqual({ query: 'Use the search', limit: 6 })
  })

  test('after a tool_result the model answers in text', async () => {
    const response = await postJson(
      messagesUrl(),
      {
        model: 'claude-sonnet-4',
        max_tokens: 512,
        tools: [SEARCH_TOOL],
        messages: [
          { role: 'user', content: 'Use the search tool' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_1', name: 'search_docs', input: {} }],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'three results' }],
          },
        ],
      },
      HEADERS,
    )
    const body: Message = await response.json()
    expect(body.stop_reason).toBe('end_turn')
    expect(body.content).toEqual([{ type: 'text', text: replyText('three results') }])
  })

  test('a cache_control prefix is written on first sight and read on repeats', async () => {
    const system = [
      { type: 'text', text: 'rules '.repeat(1000), cache_control: { type: 'ephemeral' } },
    ]
    const request = (question: string) => ({
      model: 'claude-sonnet-4',
      max_tokens: 64,
      system,
      messages: [{ role: 'user', content: question }],
    })
    const first: Message = await (await postJson(messagesUrl(), request('q1'), HEADERS)).json()
    const second: Message = await (await postJson(messagesUrl(), request('q2'), HEADERS)).json()
    const prefixTokens = countTokens('rules '.repeat(1000))

    expect(first.usage.cache_creation_input_tokens).toBe(prefixTokens)
    expect(first.usage.cache_read_input_tokens).toBe(0)
    expect(second.usage.cache_read_input_tokens).toBe(prefixTokens)
    expect(second.usage.cache_creation_input_tokens).toBe(0)
    // Anthropic's input_tokens counts only the tokens after the last cache breakpoint.
    expect(second.usage.input_tokens).toBe(countTokens('q2'))
  })
})

describe('streamed messages', () => {
  test('follow the real event sequence with text deltas and cumulative usage', async () => {
    const prompt = 'Stream a short answer'
    const response = await postJson(
      messagesUrl(),
      {
        model: 'claude-3-5-haiku',
        max_tokens: 256,
        stream: true,
        messages: [{ role: 'user', content: prompt }],
      },
      HEADERS,
    )
    const events = await readEvents(response)
    const data = payloads(events) as unknown as StreamEvent[]

    expect(events.every((event, index) => event.event === data[index]?.type)).toBe(true)
    const kinds = data.map((event) => event.type).filter((type) => type !== 'content_block_delta')
    expect(kinds).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    const start = data[0]?.message
    expect(start?.model).toBe('claude-3-5-haiku-20241022')
    expect(start?.content).toEqual([])
    expect(start?.usage.input_tokens).toBe(countTokens(prompt))
    expect(start?.usage).toHaveProperty('cache_read_input_tokens', 0)
    expect(start?.usage).toHaveProperty('cache_creation_input_tokens', 0)

    const text = data
      .filter((event) => event.delta?.type === 'text_delta')
      .map((event) => event.delta?.text)
      .join('')
    expect(text).toBe(replyText(prompt))
    const messageDelta = data.at(-2)
    expect(messageDelta?.delta?.stop_reason).toBe('end_turn')
    expect(messageDelta?.usage?.output_tokens).toBe(countTokens(replyText(prompt)))
  })

  test('stream tool_use input as input_json_delta fragments that join into the input', async () => {
    const response = await postJson(
      messagesUrl(),
      {
        model: 'claude-sonnet-4',
        max_tokens: 512,
        stream: true,
        tools: [SEARCH_TOOL],
        messages: [{ role: 'user', content: 'please call a tool' }],
      },
      HEADERS,
    )
    const data = payloads(await readEvents(response)) as unknown as StreamEvent[]
    const toolStart = data.find((event) => event.content_block?.type === 'tool_use')
    expect(toolStart?.content_block).toMatchObject({ name: 'search_docs', input: {} })
    const json = data
      .filter(
        (event) => event.index === toolStart?.index && event.delta?.type === 'input_json_delta',
      )
      .map((event) => event.delta?.partial_json)
      .join('')
    expect(JSON.parse(json)).toEqual({ query: 'please call a', limit: 4 })
    expect(data.find((event) => event.type === 'message_delta')?.delta?.stop_reason).toBe(
      'tool_use',
    )
  })
})
