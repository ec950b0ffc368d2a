import { describe, expect, test } from 'bun:test'
import protobuf from 'protobufjs/light.js'
import { harness } from '../testing/harness.ts'
import { OTLP_TYPES } from './proto-schema.ts'

/**
 * Hostile and broken bodies: every one gets a 200 or a 400 that says why, never a 500, a crash
 * or a polluted prototype. Random inputs come from a seeded generator, so a failure replays.
 */

function random(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const PROTOBUF = 'application/x-protobuf'
const JSON_TYPE = 'application/json'

async function send(
  h: ReturnType<typeof harness>,
  path: string,
  body: Uint8Array | string,
  type: string,
) {
  const response = await h.request(path, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  })
  const bytes = new Uint8Array(await response.arrayBuffer())
  let message = ''
  if (response.status !== 200) {
    message =
      type === PROTOBUF
        ? (OTLP_TYPES.status.decode(bytes) as unknown as { message: string }).message
        : (JSON.parse(new TextDecoder().decode(bytes)) as { message: string }).message
  }
  return { status: response.status, message }
}

const span = (i: number, attributes: object[] = []) => ({
  traceId: Buffer.from('5f681c84d1aa0051f7de12f22ac3c019', 'hex'),
  spanId: Buffer.from(`00000000000000${(i + 1).toString(16).padStart(2, '0')}`, 'hex'),
  name: `chat ${i}`,
  kind: 3,
  startTimeUnixNano: 1_796_326_803_909_000_000,
  endTimeUnixNano: 1_796_326_803_931_000_000,
  attributes: [
    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
    { key: 'gen_ai.usage.input_tokens', value: { intValue: 10 } },
    ...attributes,
  ],
})

function traceRequest(spans: object[]): Uint8Array {
  return OTLP_TYPES.traceRequest
    .encode({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
          scopeSpans: [{ scope: { name: 'fuzz' }, spans }],
        },
      ],
    })
    .finish()
}

function expectNoFaults(h: ReturnType<typeof harness>) {
  expect(h.log.lines.filter((line) => line.includes('level=error'))).toEqual([])
}

describe('random and truncated bodies', () => {
  test('random bytes on every signal, as protobuf and as JSON, are 200 or 400', async () => {
    const h = harness()
    const next = random(20_261_203)
    const statuses = new Set<number>()
    for (let round = 0; round < 300; round++) {
      const bytes = new Uint8Array(Math.floor(next() * 2_000))
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(next() * 256)
      for (const path of ['/v1/traces', '/v1/logs', '/v1/metrics']) {
        for (const type of [PROTOBUF, JSON_TYPE]) {
          const { status, message } = await send(h, path, bytes, type)
          statuses.add(status)
          expect([200, 400]).toContain(status)
          if (status === 400) expect(message).toMatch(/^body is not (a )?valid/)
        }
      }
    }
    expect(statuses).toContain(400)
    expectNoFaults(h)
  })

  test('every truncation of a valid request is refused or decodes to what it still holds', async () => {
    const h = harness()
    const whole = traceRequest([span(0), span(1), span(2)])
    let refused = 0
    for (let length = 1; length < whole.length; length++) {
      const { status, message } = await send(h, '/v1/traces', whole.subarray(0, length), PROTOBUF)
      expect([200, 400]).toContain(status)
      if (status === 400) {
        refused++
        expect(message).toContain('body is not a valid OTLP ExportTraceServiceRequest in protobuf')
      }
    }
    // A cut that lands between fields is valid protobuf; nearly every other cut is not.
    expect(refused).toBeGreaterThan(whole.length * 0.9)
    expect((await send(h, '/v1/traces', whole, PROTOBUF)).status).toBe(200)
    expect(h.store.trace('5f681c84d1aa0051f7de12f22ac3c019')?.spans.length).toBe(3)
    expectNoFaults(h)
  })
})

describe('deep nesting', () => {
  const varint = (n: number): number[] => {
    const bytes: number[] = []
    for (; n > 127; n >>>= 7) bytes.push((n & 127) | 128)
    bytes.push(n)
    return bytes
  }

  /**
   * An AnyValue nested `depth` arrays deep. Each level is two headers (AnyValue.arrayValue, then
   * ArrayValue.values) whose lengths are known from the inside out, so the headers are computed
   * first and written outermost first: linear in the depth, where re-wrapping would be quadratic.
   */
  function nestedAnyValue(depth: number): Uint8Array {
    const bottom = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .string('bottom')
      .finish()
    const headers: number[][] = []
    let length = bottom.length
    for (let level = 0; level < depth; level++) {
      const arrayLength = 1 + varint(length).length + length
      const header = [(5 << 3) | 2, ...varint(arrayLength), (1 << 3) | 2, ...varint(length)]
      headers.push(header)
      length = 1 + varint(arrayLength).length + arrayLength
    }
    const out = new Uint8Array(length)
    let position = 0
    for (let level = headers.length - 1; level >= 0; level--) {
      const header = headers[level] as number[]
      out.set(header, position)
      position += header.length
    }
    out.set(bottom, position)
    return out
  }

  /** A trace request whose one span carries `value` as the attribute `deep`. */
  function requestWithValue(value: Uint8Array): Uint8Array {
    const keyValue = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .string('deep')
      .uint32((2 << 3) | 2)
      .bytes(value)
      .finish()
    const spanBytes = Buffer.concat([
      OTLP_TYPES.traceRequest.lookupType('Span').encode(span(0)).finish(),
      protobuf.Writer.create()
        .uint32((9 << 3) | 2)
        .bytes(keyValue)
        .finish(),
    ])
    const scopeSpans = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(spanBytes)
      .finish()
    const resourceSpans = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(scopeSpans)
      .finish()
    return protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(resourceSpans)
      .finish()
  }

  test('a value nested 20 levels deep is kept', async () => {
    const h = harness()
    const { status } = await send(h, '/v1/traces', requestWithValue(nestedAnyValue(20)), PROTOBUF)
    expect(status).toBe(200)
  })

  for (const depth of [40, 5_000, 200_000]) {
    test(`protobuf nested ${depth} levels deep is a 400 that names the depth`, async () => {
      const h = harness()
      const body = requestWithValue(nestedAnyValue(depth))
      const { status, message } = await send(h, '/v1/traces', body, PROTOBUF)
      expect(status).toBe(400)
      expect(message).toMatch(/deeper than 32 levels|max depth exceeded/)
      expectNoFaults(h)
    })
  }

  for (const depth of [40, 100_000]) {
    test(`JSON nested ${depth} levels deep is a 400`, async () => {
      const h = harness()
      const open = '{"arrayValue":{"values":['.repeat(depth)
      const close = ']}}'.repeat(depth)
      const body =
        '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5f681c84d1aa0051f7de12f22ac3c019",' +
        `"spanId":"00000000000000aa","attributes":[{"key":"deep","value":${open}{"stringValue":"x"}${close}}]}]}]}]}`
      const { status, message } = await send(h, '/v1/traces', body, JSON_TYPE)
      expect(status).toBe(400)
      expect(message).toMatch(/deeper than 32 levels|not a valid OTLP/)
      expectNoFaults(h)
    })
  }
})

describe('strings in protobuf', () => {
  const TEXT = 'héllo 世界 🦜 — \u0000 tab\tend'

  test('every UTF-8 width decodes to the same text, in names, attributes and content', async () => {
    const h = harness()
    const attributes = [
      { key: 'gen_ai.prompt.0.content', value: { stringValue: TEXT } },
      { key: 'user.id', value: { stringValue: '用户-🦜' } },
    ]
    const named = { ...span(0, attributes), name: `chat ${TEXT}` }
    const { status } = await send(h, '/v1/traces', traceRequest([named]), PROTOBUF)
    expect(status).toBe(200)
    const stored = h.store.trace('5f681c84d1aa0051f7de12f22ac3c019')?.spans[0]
    expect(stored?.name).toBe(`chat ${TEXT}`)
    expect(stored?.userId).toBe('用户-🦜')
    expect(stored?.input).toEqual([{ role: 'user', content: TEXT }])
  })

  test('a string field that is not UTF-8 is a 400 that says so and where; nothing is stored', async () => {
    const h = harness()
    const marker = 'ZZZZ-not-utf8'
    const body = traceRequest([{ ...span(0), name: marker }])
    const at = Buffer.from(body).indexOf(marker)
    // 0xC3 opens a two-byte sequence that 0x28 cannot continue.
    body.set([0xc3, 0x28], at)
    const { status, message } = await send(h, '/v1/traces', body, PROTOBUF)
    expect(status).toBe(400)
    expect(message).toBe(
      `body is not a valid OTLP ExportTraceServiceRequest in protobuf: a string field at byte ${at} is not valid UTF-8`,
    )
    expect(h.store.trace('5f681c84d1aa0051f7de12f22ac3c019')).toBeNull()
    expectNoFaults(h)
  })
})

describe('huge attribute counts', () => {
  test('a span with 200,000 attributes is stored with its first 64 as metadata', async () => {
    const h = harness()
    const attributes = Array.from({ length: 200_000 }, (_, i) => ({
      key: `attribute.${i}`,
      value: { intValue: i },
    }))
    const { status } = await send(h, '/v1/traces', traceRequest([span(0, attributes)]), PROTOBUF)
    expect(status).toBe(200)
    const stored = h.store.trace('5f681c84d1aa0051f7de12f22ac3c019')?.spans[0]
    expect(Object.keys(stored?.metadata ?? {}).length).toBe(64)
    expect(stored?.metadata['attribute.0']).toBe(0)
  })

  test('a flattened message index of a billion costs one message, not a billion slots', async () => {
    const h = harness()
    const attributes = [
      { key: 'gen_ai.prompt.999999999.role', value: { stringValue: 'user' } },
      { key: 'gen_ai.prompt.999999999.content', value: { stringValue: 'last' } },
      { key: 'gen_ai.prompt.0.content', value: { stringValue: 'first' } },
    ]
    const { status } = await send(h, '/v1/traces', traceRequest([span(0, attributes)]), PROTOBUF)
    expect(status).toBe(200)
    expect(h.store.trace('5f681c84d1aa0051f7de12f22ac3c019')?.spans[0]?.input).toEqual([
      { role: 'user', content: 'first' },
      { role: 'user', content: 'last' },
    ])
  })
})

describe('__proto__, constructor and prototype as keys', () => {
  const hostile = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']

  function expectPrototypesClean() {
    const probe = {} as Record<string, unknown>
    expect(probe.polluted).toBeUndefined()
    expect(Object.keys(Object.prototype)).toEqual([])
    expect(typeof probe.toString).toBe('function')
    expect(typeof probe.hasOwnProperty).toBe('function')
  }

  test('as attribute keys and kvlist keys over protobuf, they are stored as plain keys', async () => {
    const h = harness()
    const polluting = { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } }
    const attributes: { key: string; value: object }[] = hostile.flatMap((key) => [
      { key, value: polluting },
      { key: `${key}.scalar`, value: { stringValue: key } },
    ])
    attributes.push({
      key: 'gen_ai.input.messages',
      value: {
        arrayValue: {
          values: [
            {
              kvlistValue: {
                values: [
                  { key: '__proto__', value: polluting },
                  { key: 'role', value: { stringValue: 'user' } },
                  { key: 'content', value: { stringValue: 'hi' } },
                ],
              },
            },
          ],
        },
      },
    })
    const { status } = await send(h, '/v1/traces', traceRequest([span(0, attributes)]), PROTOBUF)
    expect(status).toBe(200)
    const stored = h.store.trace('5f681c84d1aa0051f7de12f22ac3c019')?.spans[0]
    expect(stored?.metadata['__proto__.scalar']).toBe('__proto__')
    expect(stored?.metadata['constructor.scalar']).toBe('constructor')
    expect(stored?.input).toEqual([{ role: 'user', content: 'hi' }])
    expectPrototypesClean()
  })

  test('as JSON keys at every level, they are ignored or kept as data', async () => {
    const h = harness()
    const body = `{
      "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}},
      "resourceSpans": [{
        "__proto__": {"polluted": true},
        "resource": {"attributes": [{"key": "__proto__", "value": {"kvlistValue": {"values": [
          {"key": "polluted", "value": {"boolValue": true}}]}}}]},
        "scopeSpans": [{"spans": [{
          "__proto__": {"polluted": true},
          "traceId": "5f681c84d1aa0051f7de12f22ac3c019", "spanId": "00000000000000bb",
          "startTimeUnixNano": "1796326803909000000", "endTimeUnixNano": "1796326803931000000",
          "attributes": [
            {"key": "constructor", "value": {"stringValue": "x"}},
            {"key": "gen_ai.input.messages", "value": {"stringValue":
              "[{\\"role\\":\\"user\\",\\"content\\":\\"hi\\",\\"__proto__\\":{\\"polluted\\":true}}]"}},
            {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o"}}
          ]}]}]}]}`
    const { status } = await send(h, '/v1/traces', body, JSON_TYPE)
    expect(status).toBe(200)
    const stored = h.store.trace('5f681c84d1aa0051f7de12f22ac3c019')?.spans[0]
    expect(Object.getOwnPropertyDescriptor(stored?.metadata, 'constructor')?.value).toBe('x')
    expect(stored?.input).toEqual([{ role: 'user', content: 'hi' }])
    expectPrototypesClean()
  })

  test('as log attribute and body keys, the join still works and nothing leaks', async () => {
    const h = harness()
    const body = JSON.stringify({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  traceId: '5f681c84d1aa0051f7de12f22ac3c019',
                  spanId: '00000000000000cc',
                  attributes: [
                    { key: 'event.name', value: { stringValue: 'gen_ai.user.message' } },
                    { key: '__proto__', value: { stringValue: 'x' } },
                  ],
                  body: {
                    kvlistValue: {
                      values: [
                        { key: '__proto__', value: { kvlistValue: { values: [] } } },
                        { key: 'constructor', value: { stringValue: 'x' } },
                        { key: 'content', value: { stringValue: 'hello' } },
                      ],
                    },
                  },
                },
              ],
            },
          ],
        },
      ],
    })
    expect((await send(h, '/v1/logs', body, JSON_TYPE)).status).toBe(200)
    expectPrototypesClean()
  })
})
