import { describe, expect, test } from 'bun:test'
import { displayText, entriesOf, ownValue } from './entries.ts'
import { appPath, safeHref } from './href.ts'

describe('safeHref', () => {
  test.each([
    ['https://example.com/a?b=1', 'https://example.com/a?b=1'],
    ['http://127.0.0.1:4380/', 'http://127.0.0.1:4380/'],
    ['HTTPS://EXAMPLE.com', 'https://example.com/'],
  ])('%s becomes a link', (value, href) => {
    expect(safeHref(value)).toBe(href)
  })

  test.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    '\u0001javascript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'blob:https://example.com/x',
    'file:///etc/passwd',
    '//evil.example/path',
    '/relative/path',
    'not a url',
    '',
  ])('%j stays text', (value) => {
    expect(safeHref(value)).toBeNull()
  })

  test('non-strings and very long values stay text', () => {
    expect(safeHref(42)).toBeNull()
    expect(safeHref({ href: 'https://example.com' })).toBeNull()
    expect(safeHref(`https://example.com/${'a'.repeat(3000)}`)).toBeNull()
  })
})

describe('appPath', () => {
  test('encodes each segment so an id cannot add path segments or a query', () => {
    expect(appPath('traces', '../../api/v1/x?y=1#z')).toBe(
      '/traces/..%2F..%2Fapi%2Fv1%2Fx%3Fy%3D1%23z',
    )
  })
})

describe('entriesOf', () => {
  test('returns __proto__ and constructor as ordinary keys without touching prototypes', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": 1, "a": "b"}')
    const entries = entriesOf(parsed)

    expect(entries.map(([key]) => key)).toEqual(['__proto__', 'constructor', 'a'])
    expect(entries[0]?.[1]).toEqual({ polluted: 'yes' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  test('is empty for anything but a plain object', () => {
    expect(entriesOf(null)).toEqual([])
    expect(entriesOf(['a'])).toEqual([])
    expect(entriesOf('text')).toEqual([])
  })
})

describe('ownValue', () => {
  test('never reads an inherited property', () => {
    expect(ownValue({}, 'toString')).toBeUndefined()
    expect(ownValue({}, '__proto__')).toBeUndefined()
    expect(ownValue(JSON.parse('{"__proto__": 5}'), '__proto__')).toBe(5)
  })
})

describe('displayText', () => {
  test('strings stay as they are; other values become JSON', () => {
    expect(displayText('<b>x</b>')).toBe('<b>x</b>')
    expect(displayText({ a: [1, null] })).toBe('{"a":[1,null]}')
    expect(displayText(true)).toBe('true')
    expect(displayText(undefined)).toBe('')
  })
})
