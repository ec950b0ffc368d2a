import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import Anthropic from '@anthropic-ai/sdk'
import { type Live, PLAIN, stable, startLive } from '../testing/live.ts'

// The real `@anthropic-ai/sdk` client against the fake provider, exporting to a real server.

let live: Live
let anthropic: Anthropic

before(async () => {
  live = await startLive()
  anthropic = live.lens.observe(
    new Anthropic({ baseURL: live.provider.url, apiKey: 'test', maxRetries: 0 }),
  )
})
after(() => live.stop())

async function storedChild(call: () => Promise<unknown>): Promise<Record<string, unknown>> {
  let traceId = ''
  await live.lens.trace('test', async (root) => {
    traceId = root.traceId
    await call()
  })
  const trace = await live.stored(traceId)
  assert.equal(trace.spans.length, 2, 'the root and the call')
  const child = trace.spans.find((span) => span.parentSpanId !== null) as Record<string, unknown>
  return { ...stable(child), parentSpanId: null }
}

const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Weather in a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
}

describe('observe(new Anthropic())', () => {
  test('keeps the client class', () => {
    assert.ok(anthropic instanceof Anthropic)
  })

  test('message: model, usage, stop reason, content blocks, system prompt', async () => {
    let message: Anthropic.Message | undefined
    const span = await storedChild(async () => {
      message = await anthropic.messages.create({
        model: 'claude-sonnet-4',
        max_tokens: 200,
        system: 'You are terse.',
        messages: [{ role: 'user', content: 'Describe the sea' }],
      })
    })
    const usage = message?.usage
    assert.ok(usage)
    assert.deepEqual(span, {
      ...PLAIN,
      name: 'chat claude-sonnet-4',
      kind: 'llm',
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      modelFamily: 'claude-sonnet-4',
      requestModel: 'claude-sonnet-4',
      usage: {
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: null,
      },
      costEstimated: true,
      finishReason: 'end_turn',
      input: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Describe the sea' },
      ],
      output: {
        role: 'assistant',
        content: [{ type: 'text', text: 'Fake reply: Describe the sea' }],
      },
    })
  })

  test('prompt caching: input tokens include cache reads and writes', async () => {
    const system = [
      {
        type: 'text' as const,
        text: 'Policy. '.repeat(700),
        cache_control: { type: 'ephemeral' as const },
      },
    ]
    const ask = () =>
      anthropic.messages.create({
        model: 'claude-sonnet-4',
        max_tokens: 50,
        system,
        messages: [{ role: 'user', content: 'Is this allowed?' }],
      })
    const replies: Anthropic.Message[] = []
    const first = await storedChild(async () => replies.push(await ask()))
    const second = await storedChild(async () => replies.push(await ask()))

    const [written, read] = replies.map((reply) => reply.usage)
    assert.ok(written && read)
    assert.ok((written.cache_creation_input_tokens ?? 0) > 0, 'the first call writes the cache')
    assert.ok((read.cache_read_input_tokens ?? 0) > 0, 'the second call reads it')
    const all = (u: Anthropic.Usage) =>
      u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0)
    assert.deepEqual(first.usage, {
      inputTokens: all(written),
      outputTokens: written.output_tokens,
      cacheReadTokens: 0,
      cacheWriteTokens: written.cache_creation_input_tokens,
      reasoningTokens: null,
    })
    assert.deepEqual(second.usage, {
      inputTokens: all(read),
      outputTokens: read.output_tokens,
      cacheReadTokens: read.cache_read_input_tokens,
      cacheWriteTokens: 0,
      reasoningTokens: null,
    })
    assert.equal(all(written), all(read), 'the same prompt counts the same input either way')
  })

  test('streamed message: first token, usage from message_delta, rebuilt text', async () => {
    const span = await storedChild(async () => {
      const stream = await anthropic.messages.create({
        model: 'claude-sonnet-4',
        max_tokens: 200,
        messages: [{ role: 'user', content: 'Stream a line' }],
        stream: true,
      })
      for await (const _ of stream) {
        // Drained.
      }
    })
    assert.equal(span.timeToFirstTokenMs, 'measured')
    assert.equal(span.finishReason, 'end_turn')
    assert.deepEqual(span.output, {
      role: 'assistant',
      content: [{ type: 'text', text: 'Fake reply: Stream a line' }],
    })
    const usage = span.usage as Record<string, number | null>
    assert.ok((usage.outputTokens as number) > 1, 'the final count, not the opening 1')
  })

  test('tool use, whole and streamed with messages.stream(), with parsed input', async () => {
    const params = {
      model: 'claude-sonnet-4',
      max_tokens: 200,
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user' as const, content: 'Use a tool for the weather in Oslo' }],
    }
    const whole = await storedChild(() => anthropic.messages.create(params))
    let finalMessage: Anthropic.Message | undefined
    const streamed = await storedChild(async () => {
      finalMessage = await anthropic.messages.stream(params).finalMessage()
    })
    assert.ok(finalMessage)
    for (const span of [whole, streamed]) {
      assert.equal(span.finishReason, 'tool_use')
      const content = (span.output as { content: Record<string, unknown>[] }).content
      const use = content.find((block) => block.type === 'tool_use') as Record<string, unknown>
      assert.equal(use.name, 'get_weather')
      assert.equal(typeof (use.input as { city: unknown }).city, 'string')
    }
    assert.deepEqual((streamed.output as { content: unknown }).content, finalMessage.content)
    assert.equal(streamed.timeToFirstTokenMs, 'measured')
  })

  test('errors: overloaded is a server error, 429 a rate limit; the application sees the class', async () => {
    const cases = [
      { header: '529', category: 'server_error', status: 529 },
      { header: '429', category: 'rate_limit', status: 429 },
      { header: 'context_length', category: 'context_length', status: 400 },
    ]
    for (const { header, category, status } of cases) {
      const span = await storedChild(async () => {
        await assert.rejects(
          anthropic.messages.create(
            {
              model: 'claude-sonnet-4',
              max_tokens: 10,
              messages: [{ role: 'user', content: 'hi' }],
            },
            { headers: { 'x-fake-error': header } },
          ),
          Anthropic.APIError,
        )
      })
      assert.deepEqual(
        { ...(span.error as object), message: undefined },
        { type: category, httpStatus: status, rawType: null, message: undefined },
      )
      assert.ok(
        !String((span.error as { message: string }).message).includes('{'),
        'the message, not the body',
      )
    }
    assert.deepEqual(live.errors, [])
  })
})
