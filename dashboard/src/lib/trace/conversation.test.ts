import { describe, expect, test } from 'bun:test'
import { messagesOf, PART_CHARS_MAX, prettyJson } from './conversation.ts'

describe('messagesOf', () => {
  test('a plain string is one message in the default role', () => {
    expect(messagesOf('Plan a trip', 'user')).toEqual([
      { role: 'user', name: null, parts: [{ kind: 'text', text: 'Plan a trip' }] },
    ])
    expect(messagesOf(null, 'user')).toEqual([])
  })

  test('OpenAI chat messages with tool calls and tool results', () => {
    const messages = messagesOf(
      [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '{"tempC": 3}' },
      ],
      'user',
    )

    expect(messages.map((m) => m.role)).toEqual(['system', 'assistant', 'tool'])
    expect(messages[1]?.parts).toEqual([
      { kind: 'toolCall', id: 'call_1', name: 'get_weather', arguments: '{\n  "city": "Oslo"\n}' },
    ])
    expect(messages[2]?.parts).toEqual([{ kind: 'toolResult', id: 'call_1', text: '{"tempC": 3}' }])
  })

  test('Anthropic content blocks: text, tool_use, tool_result, thinking', () => {
    const [assistant, user] = messagesOf(
      [
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Need the weather.' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
          ],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [{ type: 'text', text: '3 °C' }],
            },
          ],
        },
      ],
      'user',
    )

    expect(assistant?.parts.map((p) => p.kind)).toEqual(['other', 'text', 'toolCall'])
    expect(assistant?.parts[2]).toMatchObject({ name: 'get_weather', id: 'toolu_1' })
    expect(user?.parts).toEqual([{ kind: 'toolResult', id: 'toolu_1', text: '3 °C' }])
  })

  test('OpenAI Responses items and the OTLP normalised shape', () => {
    const responses = messagesOf(
      [
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi' }] },
        { type: 'function_call', call_id: 'c1', name: 'lookup', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'found' },
      ],
      'assistant',
    )
    expect(responses.map((m) => [m.role, m.parts[0]?.kind])).toEqual([
      ['assistant', 'text'],
      ['assistant', 'toolCall'],
      ['tool', 'toolResult'],
    ])

    const otlp = messagesOf(
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'x', name: 'f', arguments: { a: 1 } }],
      },
      'assistant',
    )
    expect(otlp[0]?.parts).toEqual([
      { kind: 'toolCall', id: 'x', name: 'f', arguments: '{\n  "a": 1\n}' },
    ])
  })

  test('a chat completion body and a messages wrapper are unpacked', () => {
    const body = { choices: [{ message: { role: 'assistant', content: 'Done.' } }] }
    expect(messagesOf(body, 'assistant')[0]?.parts).toEqual([{ kind: 'text', text: 'Done.' }])
    expect(messagesOf({ messages: ['a', 'b'] }, 'user')).toHaveLength(2)
  })

  test('images are named, never loaded', () => {
    const [message] = messagesOf(
      [
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'javascript:alert(1)' } }],
        },
      ],
      'user',
    )
    expect(message?.parts).toEqual([{ kind: 'other', label: 'image', text: 'javascript:alert(1)' }])
  })

  test('unknown shapes become JSON text, markup stays text', () => {
    const [message] = messagesOf({ weird: '<script>alert(1)</script>' }, 'user')
    expect(message?.parts[0]).toEqual({
      kind: 'other',
      label: 'data',
      text: '{\n  "weird": "<script>alert(1)</script>"\n}',
    })
  })

  test('__proto__ keys are data, not structure', () => {
    const parsed = JSON.parse('{"__proto__": {"role": "system"}, "content": "hi"}')
    const [message] = messagesOf(parsed, 'user')
    expect(message?.role).toBe('user')
    expect(message?.parts).toEqual([{ kind: 'text', text: 'hi' }])
  })

  test('huge parts are clipped with a note', () => {
    const [message] = messagesOf('x'.repeat(PART_CHARS_MAX + 10), 'user')
    const part = message?.parts[0]
    expect(part?.kind === 'text' && part.text.endsWith('… 10 more characters')).toBe(true)
  })
})

describe('prettyJson', () => {
  test('JSON text prints like the value it holds; other text stays as is', () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}')
    expect(prettyJson('not json')).toBe('not json')
  })
})
