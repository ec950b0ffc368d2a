import { describe, expect, test } from 'bun:test'
import {
  apiParams,
  hasFilters,
  metricsFilters,
  parseView,
  type ViewQuery,
  withFilterValue,
  withoutFilterValue,
  writeView,
} from './view-query.ts'

const parse = (query: string) => parseView(new URLSearchParams(query))

describe('parseView', () => {
  test('an empty query is the last six hours, live, unfiltered', () => {
    expect(parse('')).toEqual({ range: { kind: 'preset', preset: '6h' }, live: true, filters: {} })
  })

  test('reads a preset, paused live mode and repeated filter values', () => {
    expect(parse('range=24h&live=0&model=gpt-4o&model=claude-sonnet-4&tag=beta')).toEqual({
      range: { kind: 'preset', preset: '24h' },
      live: false,
      filters: { model: ['gpt-4o', 'claude-sonnet-4'], tag: ['beta'] },
    })
  })

  test('an absolute range, in RFC 3339 or epoch ms, is never live', () => {
    const view = parse(`from=2026-12-01T10:00:00.000Z&to=${Date.UTC(2026, 11, 1, 12)}`)
    expect(view.range).toEqual({
      kind: 'absolute',
      fromMs: Date.UTC(2026, 11, 1, 10),
      toMs: Date.UTC(2026, 11, 1, 12),
    })
    expect(view.live).toBe(false)
  })

  test('malformed values fall back instead of failing', () => {
    expect(parse('range=3y').range).toEqual({ kind: 'preset', preset: '6h' })
    expect(parse('from=yesterday&to=now').range.kind).toBe('preset')
    expect(parse('from=200&to=100').range.kind).toBe('preset')
    expect(parse(`model=&model=${'x'.repeat(300)}`).filters).toEqual({})
  })

  test('keeps values as text whatever they hold, and drops duplicates', () => {
    const odd = '<img src=x onerror=alert(1)>'
    const view = parse(new URLSearchParams({ model: odd, tag: '__proto__' }).toString())
    expect(view.filters).toEqual({ model: [odd], tag: ['__proto__'] })
    expect(parse('model=a&model=a').filters.model).toEqual(['a'])
  })

  test('ignores parameters it does not know', () => {
    expect(parse('constructor=1&__proto__=2').filters).toEqual({})
  })
})

describe('writeView', () => {
  const view: ViewQuery = {
    range: { kind: 'preset', preset: '1h' },
    live: false,
    filters: { model: ['a,b', 'c'], userId: ['u-1'] },
  }

  test('round-trips through parseView', () => {
    expect(parseView(writeView(view, new URLSearchParams()))).toEqual(view)
  })

  test('keeps page-specific keys and replaces the shared ones', () => {
    const written = writeView(view, new URLSearchParams('q=hello&model=old&range=7d'))
    expect(written.toString()).toBe('q=hello&range=1h&live=0&model=a%2Cb&model=c&userId=u-1')
  })

  test('leaves defaults out of the URL', () => {
    const defaults = parse('')
    expect(writeView(defaults, new URLSearchParams()).toString()).toBe('')
  })
})

describe('filter edits', () => {
  test('adding is idempotent and removing the last value drops the dimension', () => {
    const one = withFilterValue({}, 'model', 'gpt-4o')
    expect(withFilterValue(one, 'model', 'gpt-4o')).toBe(one)
    expect(withoutFilterValue(one, 'model', 'gpt-4o')).toEqual({})
    expect(hasFilters(one)).toBe(true)
    expect(hasFilters({})).toBe(false)
  })
})

describe('metricsFilters', () => {
  test('model calls unless the user chose kinds', () => {
    expect(metricsFilters({ model: ['a'] })).toEqual({ model: ['a'], kind: ['llm', 'embedding'] })
    expect(metricsFilters({ kind: ['tool'] })).toEqual({ kind: ['tool'] })
  })
})

describe('apiParams', () => {
  test('whole milliseconds and one parameter per value', () => {
    const params = apiParams({ model: ['a,b'], tag: ['x'] }, { fromMs: 10.7, toMs: 20.2 })
    expect(params.toString()).toBe('from=10&to=21&model=a%2Cb&tag=x')
  })
})
