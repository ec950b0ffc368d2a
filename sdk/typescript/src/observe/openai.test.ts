import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import OpenAI from 'openai'
import type { Llmlens } from '../llmlens.ts'
import { type Live, PLAIN, stable, startLive } from '../testing/live.ts'

// The real `openai` client against the project's fake provider, exporting to a real llmlens
// server; every assertion reads the spans back from the server.

let live: Live
let openai: OpenAI

before(async () => {
  live = await startLive()
  openai = live.lens.observe(
    new OpenAI({ baseURL: `${live.provider.url}/v1`, apiKey: 'test', maxRetries: 0 }),
  )
})
after(() => live.stop())

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

/** Runs `call` inside a trace and returns the stored LLM span under its root. */
async function storedChild(
  lens: Llmlens,
  call: () => Promise<unknown>,
): Promise<Record<string, unknown>> {
  let traceId = ''
  let rootSpanId = ''
  await lens.trace('test', async (root) => {
    traceId = root.traceId
    rootSpanId = root.spanId
    await call()
  })
  const trace = await live.stored(traceId)
  assert.equal(trace.spans.length, 2, 'the root and the call')
  const child = trace.spans.find((span) => span.spanId !== rootSpanId) as Record<string, unknown>
  assert.equal(child.parentSpanId, rootSpanId)
  return { ...stable(child), parentSpanId: null }
}

describe('observe(new OpenAI())', () => {
  test('keeps the client type, class and unrelated members', () => {
    assert.ok(openai instanceof OpenAI)
    assert.equal(openai.baseURL, `${live.provider.url}/v1`)
    assert.equal(typeof openai.models.list, 'function')
  })

  test('chat completion: model, usage, finish reason, content', async () => {
    const messages = [{ role: 'user' as const, content: 'Summarise the weekly report' }]
    let completion: OpenAI.ChatCompletion | undefined
    const span = await storedChild(live.lens, async () => {
      completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
    })
    const usage = completion?.usage
    assert.ok(usage)
    assert.deepEqual(span, {
      ...PLAIN,
      name: 'chat gpt-4o-mini',
      kind: 'llm',
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      modelFamily: 'gpt-4o-mini',
      requestModel: 'gpt-4o-mini',
      usage: {
        inputTokens: usage.prompt_tokens,
        outputTokens: usage.completion_tokens,
        cacheReadTokens: 0,
        cacheWriteTokens: null,
        reasoningTokens: 0,
      },
      costEstimated: true,
      finishReason: 'stop',
      input: messages,
      output: { role: 'assistant', content: 'Fake reply: Summarise the weekly report' },
    })
  })

  test('streamed chat: time to first token, usage from the last chunk, assembled text', async () => {
    const pieces: string[] = []
    const span = await storedChild(live.lens, async () => {
      const stream = await openai.chat.completions.create(
        {
          model: 'o3-mini',
          messages: [{ role: 'user', content: 'Think about prime numbers' }],
          stream: true,
          stream_options: { include_usage: true },
        },
        { headers: { 'x-fake-ttft-ms': '30' } },
      )
      for await (const chunk of stream) pieces.push(chunk.choices[0]?.delta.content ?? '')
    })
    assert.equal(pieces.join(''), 'Fake reply: Think about prime numbers')
    const usage = span.usage as { outputTokens: number; reasoningTokens: number }
    assert.ok(usage.reasoningTokens > 0, 'o3-mini reasons')
    assert.ok(usage.outputTokens > usage.reasoningTokens, 'output includes reasoning')
    assert.deepEqual(span, {
      ...PLAIN,
      name: 'chat o3-mini',
      kind: 'llm',
      provider: 'openai',
      model: 'o3-mini-2025-01-31',
      modelFamily: 'o3-mini',
      requestModel: 'o3-mini',
      usage: { ...usage, inputTokens: 14, cacheReadTokens: 0, cacheWriteTokens: null },
      timeToFirstTokenMs: 'measured',
      costEstimated: true,
      finishReason: 'stop',
      input: [{ role: 'user', content: 'Think about prime numbers' }],
      output: { role: 'assistant', content: 'Fake reply: Think about prime numbers' },
    })
  })

  test('a stream without include_usage records no usage rather than zeros', async () => {
    const span = await storedChild(live.lens, async () => {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hello' }],
        stream: true,
      })
      for await (const _ of stream) {
        // Draining is all the application does here.
      }
    })
    assert.deepEqual(span.usage, {
      inputTokens: null,
      outputTokens: null,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      reasoningTokens: null,
    })
  })

  test('tool calls, whole and streamed, are recorded with their arguments', async () => {
    const messages = [{ role: 'user' as const, content: 'Use a tool for the weather in Paris' }]
    const whole = await storedChild(live.lens, () =>
      openai.chat.completions.create({ model: 'gpt-4o-mini', messages, tools: [WEATHER_TOOL] }),
    )
    const streamed = await storedChild(live.lens, async () => {
      const stream = await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        tools: [WEATHER_TOOL],
        stream: true,
      })
      for await (const _ of stream) {
        // Drained.
      }
    })
    for (const span of [whole, streamed]) {
      assert.equal(span.finishReason, 'tool_calls')
      const output = span.output as { content: unknown; tool_calls: Record<string, unknown>[] }
      assert.equal(output.content, null)
      assert.equal(output.tool_calls.length, 1)
      const call = output.tool_calls[0] as {
        id: string
        function: { name: string; arguments: string }
      }
      assert.match(call.id, /^call_/)
      assert.equal(call.function.name, 'get_weather')
      assert.equal(typeof JSON.parse(call.function.arguments).city, 'string')
    }
  })

  test('responses, whole and streamed: output items, reasoning tokens, finish reason', async () => {
    const whole = await storedChild(live.lens, () =>
      openai.responses.create({
        model: 'o3-mini',
        instructions: 'Be brief.',
        input: 'Plan a trip',
      }),
    )
    assert.equal(whole.name, 'chat o3-mini')
    assert.equal(whole.model, 'o3-mini-2025-01-31')
    assert.equal(whole.finishReason, 'stop')
    assert.deepEqual(whole.input, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Plan a trip' },
    ])
    const items = whole.output as { type: string }[]
    assert.deepEqual(
      items.map((item) => item.type),
      ['reasoning', 'message'],
    )

    const events: string[] = []
    const streamed = await storedChild(live.lens, async () => {
      const stream = await openai.responses.create({
        model: 'gpt-4o-mini',
        input: 'Plan a trip',
        stream: true,
      })
      for await (const event of stream) events.push(event.type)
    })
    assert.equal(events.at(-1), 'response.completed')
    const usage = streamed.usage as Record<string, number | null>
    assert.equal(streamed.finishReason, 'stop')
    assert.equal(usage.reasoningTokens, 0)
    assert.ok((usage.inputTokens as number) > 0 && (usage.outputTokens as number) > 0)
    assert.equal(streamed.timeToFirstTokenMs, 'measured')
    assert.equal(whole.timeToFirstTokenMs, null, 'a whole response has no first token')
  })

  test('embeddings: input tokens, vector count and size instead of the vectors', async () => {
    let dimensions = 0
    const span = await storedChild(live.lens, async () => {
      const result = await openai.embeddings.create({
        model: 'text-embedding-3-small',
        input: ['one', 'two'],
      })
      dimensions = result.data[0]?.embedding.length ?? 0
    })
    assert.ok(dimensions > 0)
    assert.equal(span.kind, 'embedding')
    assert.equal(span.name, 'embeddings text-embedding-3-small')
    assert.deepEqual(span.input, ['one', 'two'])
    assert.deepEqual(span.output, { embeddings: 2, dimensions })
    assert.equal(typeof (span.usage as { inputTokens: number }).inputTokens, 'number')
    assert.equal((span.usage as { outputTokens: unknown }).outputTokens, null)
  })

  test('errors keep their class for the application and get a category in the span', async () => {
    const cases = [
      { header: '429', category: 'rate_limit', status: 429, errorClass: OpenAI.RateLimitError },
      { header: '401', category: 'auth', status: 401, errorClass: OpenAI.AuthenticationError },
      {
        header: '500',
        category: 'server_error',
        status: 500,
        errorClass: OpenAI.InternalServerError,
      },
      {
        header: 'context_length',
        category: 'context_length',
        status: 400,
        errorClass: OpenAI.BadRequestError,
      },
    ]
    for (const { header, category, status, errorClass } of cases) {
      const span = await storedChild(live.lens, async () => {
        await assert.rejects(
          openai.chat.completions.create(
            { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] },
            { headers: { 'x-fake-error': header } },
          ),
          errorClass,
        )
      })
      assert.equal(span.status, 'error')
      const error = span.error as { type: string; httpStatus: number; message: string }
      assert.equal(error.type, category, header)
      assert.equal(error.httpStatus, status)
      assert.ok(error.message.length > 0 && !error.message.startsWith(String(status)))
      assert.equal(span.output, null)
    }
  })

  test('a call the application aborts is recorded as cancelled', async () => {
    const span = await storedChild(live.lens, async () => {
      const controller = new AbortController()
      const pending = openai.chat.completions.create(
        { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'slow' }] },
        { signal: controller.signal, headers: { 'x-fake-latency-ms': '5000' } },
      )
      controller.abort()
      await assert.rejects(pending, OpenAI.APIUserAbortError)
    })
    assert.equal((span.error as { type: string }).type, 'cancelled')
  })

  test('withResponse() and the stream helper keep working and are recorded once', async () => {
    const span = await storedChild(live.lens, async () => {
      const { data, response } = await openai.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'raw' }] })
        .withResponse()
      assert.equal(response.status, 200)
      assert.equal(data.choices[0]?.message.content, 'Fake reply: raw')
    })
    assert.equal(span.finishReason, 'stop')

    const helper = await storedChild(live.lens, async () => {
      const runner = openai.chat.completions.stream({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'helper' }],
      })
      const final = await runner.finalChatCompletion()
      assert.equal(final.choices[0]?.message.content, 'Fake reply: helper')
    })
    assert.deepEqual(helper.output, { role: 'assistant', content: 'Fake reply: helper' })

    const responsesHelper = await storedChild(live.lens, async () => {
      const runner = openai.responses.stream({ model: 'gpt-4o-mini', input: 'helper' })
      const final = await runner.finalResponse()
      assert.equal(final.output_text, 'Fake reply: helper')
    })
    assert.equal(responsesHelper.finishReason, 'stop')
    assert.equal(responsesHelper.timeToFirstTokenMs, 'measured')
  })

  test('attributes per client layer over the trace and the global ones', async () => {
    const perUser = live.lens.observe(openai, {
      userId: 'u-17',
      tags: ['beta'],
      metadata: { a: 1 },
    })
    let traceId = ''
    await live.lens.trace(
      'request',
      { sessionId: 's-3', endpoint: '/api/chat', tags: ['web'], metadata: { b: 'x' } },
      async (root) => {
        traceId = root.traceId
        await perUser.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'hi' }],
        })
      },
    )
    const trace = await live.stored(traceId)
    const call = trace.spans.find((span) => span.kind === 'llm') as Record<string, unknown>
    assert.equal(call.userId, 'u-17')
    assert.equal(call.sessionId, 's-3')
    assert.equal(call.endpoint, '/api/chat')
    assert.deepEqual(call.tags, ['web', 'beta'])
    assert.deepEqual(call.metadata, { b: 'x', a: 1 })
  })

  test('captureContent: false keeps timing and usage but no prompt or completion', async () => {
    const quiet = live.lens.observe(openai, { captureContent: false })
    const span = await storedChild(live.lens, () =>
      quiet.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'secret' }],
      }),
    )
    assert.equal(span.input, null)
    assert.equal(span.output, null)
    assert.equal(typeof (span.usage as { inputTokens: number }).inputTokens, 'number')
  })

  test('a call outside any trace is a root span of its own trace', async () => {
    const lone = live.lens.observe(openai, { userId: 'lone-caller' })
    await lone.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    })
    assert.equal(await live.lens.flush(), true)
    const reply = await fetch(`${live.server.url}/api/v1/spans?userId=lone-caller`)
    const page = (await reply.json()) as { items: Record<string, unknown>[] }
    assert.equal(page.items.length, 1)
    assert.equal(page.items[0]?.parentSpanId, null)
    assert.deepEqual(live.errors, [])
  })
})
