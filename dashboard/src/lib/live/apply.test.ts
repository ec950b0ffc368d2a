import { describe, expect, test } from 'bun:test'
import { storedSpan } from '../testing/spans.ts'
import {
  bucketIndex,
  countersOf,
  emptyCounters,
  matchesFilters,
  matchesSearch,
  withSpan,
} from './apply.ts'

describe('matchesFilters', () => {
  test('no filters match everything', () => {
    expect(matchesFilters(storedSpan(), {})).toBe(true)
  })

  test('a dimension matches any of its values; every dimension must match', () => {
    const span = storedSpan()
    expect(matchesFilters(span, { model: ['gpt-4o', 'gpt-4o-mini'] })).toBe(true)
    expect(matchesFilters(span, { model: ['gpt-4o-mini'], provider: ['anthropic'] })).toBe(false)
    expect(matchesFilters(span, { kind: ['llm', 'embedding'], status: ['ok'] })).toBe(true)
  })

  test('a span without the field never matches a filter on it', () => {
    expect(matchesFilters(storedSpan({ model: null }), { model: ['gpt-4o-mini'] })).toBe(false)
  })

  test('tags must all be present', () => {
    expect(matchesFilters(storedSpan(), { tag: ['beta', 'variant:a'] })).toBe(true)
    expect(matchesFilters(storedSpan(), { tag: ['beta', 'variant:b'] })).toBe(false)
  })

  test('errorType reads the error category', () => {
    const failed = storedSpan({
      status: 'error',
      error: { type: 'rate_limit', message: null, httpStatus: 429, rawType: null },
    })
    expect(matchesFilters(failed, { errorType: ['rate_limit'] })).toBe(true)
    expect(matchesFilters(storedSpan(), { errorType: ['rate_limit'] })).toBe(false)
  })
})

describe('matchesSearch', () => {
  test('case-insensitive substring of name, model or endpoint', () => {
    expect(matchesSearch(storedSpan(), 'GPT-4O')).toBe(true)
    expect(matchesSearch(storedSpan(), '/api/ch')).toBe(true)
    expect(matchesSearch(storedSpan(), 'u-1')).toBe(false)
    expect(matchesSearch(storedSpan({ endpoint: null }), 'chat')).toBe(true)
    expect(matchesSearch(storedSpan(), '')).toBe(true)
  })
})

describe('counters', () => {
  test('withSpan adds one call, its tokens, cost and error category', () => {
    const failed = storedSpan({
      status: 'error',
      error: { type: 'timeout', message: 'slow', httpStatus: null, rawType: null },
      usage: { ...storedSpan().usage, inputTokens: null },
      costUsd: null,
    })
    const counters = withSpan(withSpan(emptyCounters(), storedSpan()), failed)

    expect(counters).toMatchObject({
      count: 2,
      errorCount: 1,
      inputTokens: 120,
      outputTokens: 160,
      costUsd: 0.001,
    })
    expect([...counters.errorsByType]).toEqual([['timeout', 1]])
  })

  test('an error category named __proto__ is just a key', () => {
    const odd = storedSpan({
      status: 'error',
      error: { type: '__proto__' as 'unknown', message: null, httpStatus: null, rawType: null },
    })
    const counters = withSpan(emptyCounters(), odd)
    expect(counters.errorsByType.get('__proto__')).toBe(1)
    expect(Object.getPrototypeOf(counters)).toBe(Object.prototype)
  })

  test('countersOf reads a summary total without inheriting keys', () => {
    const metrics = JSON.parse(
      '{"count":3,"errorCount":1,"usage":{"inputTokens":5,"outputTokens":6},"costUsd":0.5,' +
        '"errorsByType":{"__proto__":1}}',
    )
    const counters = countersOf(metrics)
    expect(counters.count).toBe(3)
    expect([...counters.errorsByType]).toEqual([['__proto__', 1]])
  })
})

describe('bucketIndex', () => {
  test('buckets from the window start; before it is -1', () => {
    const window = { fromMs: 1_000, stepMs: 100 }
    expect(bucketIndex(1_000, window)).toBe(0)
    expect(bucketIndex(1_199, window)).toBe(1)
    expect(bucketIndex(999, window)).toBe(-1)
  })
})
