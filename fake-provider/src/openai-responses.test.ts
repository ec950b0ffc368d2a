import { describe, expect, test } from 'bun:test'
import { countTokens, reasoningTokensFor, replyText } from './index.ts'
import { payloads, postJson, readEvents, useFakeProvider } from './test-support.ts'

interface OutputItem {
  id: string
  type: string
  status?: string
  role?: string
  content?: Array<{ type: string; text: string }>
  name?: string
  call_id?: string
  arguments?: string
}
interface ResponseBody {
  id: string
  object: string
  status: string
  model: string
  output: OutputItem[]
  incomplete_details: { reason: string } | null
  usage: {
    input_tokens: number
    input_tokens_details: { cached_tokens: number }
    output_tokens: number
    output_tokens_details: { reasoning_tokens: number }
    total_tokens: number
  } | null
}
interface ResponseEvent {
  type: string
  sequence_number: number
  delta?: string
  response?: ResponseBody
}

const fake = useFakeProvider()
const responsesUrl = () => `${fake.url()}/v1/responses`

describe('POST /v1/responses', () => {
  test('answers a string input with one message item and Responses-style usage', async () => {
    const response = await postJson(responsesUrl(), {
      model: 'gpt-4o',
      input: 'Explain SSE briefly',
    })

    expect(response.status).toBe(200)
    const body: ResponseBody = await response.json()
    expect(body.id).toMatch(/^resp_[0-9a-f]{48}$/)
    expect(body).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-4o-2024-08-06',
    })
    expect(body.output).toHaveLength(1)
    expect(body.output[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
      status: 'completed',
    })
    expect(body.output[0]?.content?.[0]).toMatchObject({
      type: 'output_text',
      text: replyText('Explain SSE briefly'),
    })
    expect(body.usage?.output_tokens).toBe(countTokens(replyText('Explain SSE briefly')))
    expect(body.usage?.total_tokens).toBe(
      (body.usage?.input_tokens ?? 0) + (body.usage?.output_tokens ?? 0),
    )
    expect(body.usage?.input_tokens_details.cached_tokens).toBe(0)
    expect(body.usage?.output_tokens_details.reasoning_tokens).toBe(0)
  })

  test('reasoning models put a reasoning item first and count its tokens', async () => {
    const input = [{ role: 'user', content: [{ type: 'input_text', text: 'Plan a trip' }] }]
    const response = await postJson(responsesUrl(), { model: 'o3-mini', input })
    const body: ResponseBody = await response.json()
    expect(body.output.map((item) => item.type)).toEqual(['reasoning', 'message'])
    expect(body.usage?.output_tokens_details.reasoning_tokens).toBe(
      reasoningTokensFor('Plan a trip'),
    )
  })

  test('max_output_tokens too small leaves the response incomplete', async () => {
    const response = await postJson(responsesUrl(), {
      model: 'gpt-4o-mini',
      input: 'a b c d e f g h i j k l m n o p',
      max_output_tokens: 4,
    })
    const body: ResponseBody = await response.json()
    expect(body.status).toBe('incomplete')
    expect(body.incomplete_details).toEqual({ reason: 'max_output_tokens' })
  })

  test('function tools are called as function_call items', async () => {
    const response = await postJson(responsesUrl(), {
      model: 'gpt-4o',
      input: 'use the lookup tool',
      tools: [
        {
          type: 'function',
          name: 'lookup',
          parameters: { type: 'object', properties: { q: { type: 'string' } } },
        },
      ],
    })
    const body: ResponseBody = await response.json()
    const call = body.output[0]
    expect(call).toMatchObject({ type: 'function_call', name: 'lookup', status: 'completed' })
    expect(call?.call_id).toMatch(/^call_/)
    expect(JSON.parse(call?.arguments ?? '')).toEqual({ q: 'use the lookup' })
  })

  test('streams named, numbered events ending in response.completed', async () => {
    const response = await postJson(responsesUrl(), {
      model: 'gpt-4o-mini',
      input: 'Stream this please',
      stream: true,
    })
    const events = await readEvents(response)
    const data = payloads(events) as unknown as ResponseEvent[]

    expect(events.every((event, index) => event.event === data[index]?.type)).toBe(true)
    expect(data.map((event) => event.sequence_number)).toEqual(data.map((_, index) => index))
    expect(data.map((event) => event.type).filter((type) => !type.endsWith('.delta'))).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
    const text = data
      .filter((event) => event.type === 'response.output_text.delta')
      .map((event) => event.delta)
      .join('')
    expect(text).toBe(replyText('Stream this please'))
    expect(data[0]?.response?.status).toBe('in_progress')
    expect(data[0]?.response?.usage).toBeNull()
    const completed = data.at(-1)?.response
    expect(completed?.status).toBe('completed')
    expect(completed?.usage?.output_tokens).toBe(countTokens(replyText('Stream this please')))
  })

  test('rejects a request without input, naming the field', async () => {
    const response = await postJson(responsesUrl(), { model: 'gpt-4o' })
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: 'input' })
  })
})
