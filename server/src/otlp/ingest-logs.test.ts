import { describe, expect, test } from 'bun:test'
import { harness } from '../testing/harness.ts'
import { OTLP_LIMITS } from './limits.ts'

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const SPAN_ID = '00f067aa0ba902b7'

type Value = Record<string, unknown>
const str = (stringValue: string) => ({ stringValue })
const kv = (values: Record<string, Value>) => ({
  kvlistValue: { values: Object.entries(values).map(([key, value]) => ({ key, value })) },
})

function logs(...records: { event: string; body?: Value; attributes?: Record<string, Value> }[]) {
  return {
    resourceLogs: [
      {
        scopeLogs: [
          {
            logRecords: records.map(({ event, body, attributes = {} }) => ({
              timeUnixNano: '1796326803931000000',
              traceId: TRACE_ID,
              spanId: SPAN_ID,
              eventName: event,
              body,
              attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
            })),
          },
        ],
      },
    ],
  }
}

const chatSpan = (attributes: { key: string; value: Value }[] = []) => ({
  resourceSpans: [
    {
      scopeSpans: [
        {
          spans: [
            {
              traceId: TRACE_ID,
              spanId: SPAN_ID,
              name: 'chat gpt-4o',
              startTimeUnixNano: '1796326803900000000',
              endTimeUnixNano: '1796326803990000000',
              attributes: [
                { key: 'gen_ai.operation.name', value: str('chat') },
                { key: 'gen_ai.request.model', value: str('gpt-4o') },
                ...attributes,
              ],
            },
          ],
        },
      ],
    },
  ],
})

const stored = (h: ReturnType<typeof harness>) => h.store.trace(TRACE_ID)?.spans[0]

describe('content log events joined to their span', () => {
  test('events split over two exports extend what the first began, in order', async () => {
    const h = harness()
    await h.post('/v1/traces', chatSpan())
    await h.post(
      '/v1/logs',
      logs(
        { event: 'gen_ai.system.message', body: kv({ content: str('Be brief.') }) },
        { event: 'gen_ai.user.message', body: kv({ content: str('Hi') }) },
      ),
    )
    await h.post(
      '/v1/logs',
      logs(
        {
          event: 'gen_ai.assistant.message',
          body: kv({
            tool_calls: {
              arrayValue: {
                values: [
                  kv({
                    id: str('call_1'),
                    type: str('function'),
                    function: kv({ name: str('clock'), arguments: str('{}') }),
                  }),
                ],
              },
            },
          }),
        },
        { event: 'gen_ai.tool.message', body: kv({ id: str('call_1'), content: str('noon') }) },
        {
          event: 'gen_ai.choice',
          body: kv({ index: { intValue: 1 }, message: kv({ content: str('second') }) }),
        },
        {
          event: 'gen_ai.choice',
          body: kv({ index: { intValue: 0 }, message: kv({ content: str('first') }) }),
        },
      ),
    )
    expect(stored(h)?.input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'call_1', name: 'clock', arguments: {} }],
      },
      { role: 'tool', content: 'noon', toolCallId: 'call_1' },
    ])
    expect(stored(h)?.output).toEqual([
      { role: 'assistant', content: 'first' },
      { role: 'assistant', content: 'second' },
    ])
  })

  test('the event name may come as the event.name attribute (JS SDK 2.x)', async () => {
    const h = harness()
    await h.post('/v1/traces', chatSpan())
    await h.post(
      '/v1/logs',
      logs({
        event: '',
        attributes: { 'event.name': str('gen_ai.user.message') },
        body: kv({ content: str('by attribute') }),
      }),
    )
    expect(stored(h)?.input).toEqual([{ role: 'user', content: 'by attribute' }])
  })

  test('the operation.details event fills both sides', async () => {
    const h = harness()
    await h.post(
      '/v1/logs',
      logs({
        event: 'gen_ai.client.inference.operation.details',
        attributes: {
          'gen_ai.input.messages': str('[{"role":"user","parts":[{"type":"text","content":"Q"}]}]'),
          'gen_ai.output.messages': str(
            '[{"role":"assistant","parts":[{"type":"text","content":"A"}],"finish_reason":"stop"}]',
          ),
        },
      }),
    )
    await h.post('/v1/traces', chatSpan())
    expect(stored(h)).toMatchObject({
      input: [{ role: 'user', content: 'Q' }],
      output: { role: 'assistant', content: 'A' },
    })
  })

  test('a span\u2019s own content attributes win over parked events', async () => {
    const h = harness()
    await h.post(
      '/v1/logs',
      logs({ event: 'gen_ai.user.message', body: kv({ content: str('event') }) }),
    )
    await h.post(
      '/v1/traces',
      chatSpan([
        { key: 'gen_ai.input.messages', value: str('[{"role":"user","content":"attribute"}]') },
      ]),
    )
    expect(stored(h)?.input).toEqual([{ role: 'user', content: 'attribute' }])
  })

  test('records without a span to join are rejected with their path', async () => {
    const h = harness()
    const body = logs({ event: 'gen_ai.user.message', body: kv({ content: str('lost') }) })
    const record = body.resourceLogs[0]?.scopeLogs[0]?.logRecords[0] as { spanId: string }
    record.spanId = ''
    const { body: reply } = await h.post('/v1/logs', body)
    expect(reply).toEqual({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage:
          '1 rejected: resourceLogs[0].scopeLogs[0].logRecords[0]: has no trace and span id to join its span by',
      },
    })
  })

  test('events whose span never comes are dropped once older than the parking limit', async () => {
    const h = harness()
    const body = logs(
      { event: 'gen_ai.user.message', body: kv({ content: str('one') }) },
      { event: 'gen_ai.user.message', body: kv({ content: str('two') }) },
    )
    const records = body.resourceLogs[0]?.scopeLogs[0]?.logRecords as { spanId: string }[]
    ;(records[1] as { spanId: string }).spanId = '00f067aa0ba902b8'
    await h.post('/v1/logs', body)

    const parked = h.store.takeParkedContents([{ traceId: TRACE_ID, spanId: SPAN_ID }])
    expect(parked.map((piece) => JSON.parse(piece.body).message)).toEqual([
      { role: 'user', content: 'one' },
    ])
    h.store.writeContents([], [], Date.now() + OTLP_LIMITS.parkedContentAgeMsMax + 1)
    expect(h.store.takeParkedContents([{ traceId: TRACE_ID, spanId: '00f067aa0ba902b8' }])).toEqual(
      [],
    )
  })
})
