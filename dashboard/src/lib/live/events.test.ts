import { describe, expect, test } from 'bun:test'
import { storedSpan } from '../testing/spans.ts'
import { parseAlertEvent, parseAnomaly, parseScore, parseSpan } from './events.ts'

describe('parseSpan', () => {
  test('reads a stored span', () => {
    const span = storedSpan()
    expect(parseSpan(JSON.stringify(span))).toEqual(span)
  })

  test('refuses data that is not a span', () => {
    expect(parseSpan('not json')).toBeNull()
    expect(parseSpan('null')).toBeNull()
    expect(parseSpan('{"traceId": 5}')).toBeNull()
    expect(parseSpan(JSON.stringify({ ...storedSpan(), tags: 'beta' }))).toBeNull()
  })
})

describe('parseScore', () => {
  test('reads a score and refuses anything else', () => {
    const score = { traceId: 't', name: 'helpfulness', time: 5, value: 0.5 }
    expect(parseScore(JSON.stringify(score))).toEqual(score as never)
    expect(parseScore('{"traceId":"t"}')).toBeNull()
  })
})

describe('parseAnomaly', () => {
  const anomaly = {
    metric: 'latencyP95Ms',
    kind: 'bucket',
    key: { model: 'gpt-4o-mini' },
    time: 1_764_756_000_000,
    value: 4_200,
    expected: 1_100,
    zScore: 6.3,
    severity: 'critical',
    method: 'robust',
    count: 40,
    sustainedBuckets: 1,
    spanIds: ['00f067aa0ba902b7'],
  }

  test('reads an anomaly event', () => {
    expect(parseAnomaly(JSON.stringify(anomaly))).toEqual(anomaly as never)
  })

  test('a key may hold null and odd names; nothing else', () => {
    const odd = JSON.parse(`{"__proto__": "<b>x</b>", "endpoint": null}`)
    expect(parseAnomaly(JSON.stringify({ ...anomaly, key: odd }))?.key).toEqual(odd)
    expect(parseAnomaly(JSON.stringify({ ...anomaly, key: { model: 5 } }))).toBeNull()
    expect(parseAnomaly(JSON.stringify({ ...anomaly, key: ['a'] }))).toBeNull()
  })

  test('refuses unknown severities, kinds and missing numbers', () => {
    expect(parseAnomaly(JSON.stringify({ ...anomaly, severity: 'info' }))).toBeNull()
    expect(parseAnomaly(JSON.stringify({ ...anomaly, kind: 'trace' }))).toBeNull()
    expect(parseAnomaly(JSON.stringify({ ...anomaly, zScore: null }))).toBeNull()
    expect(parseAnomaly(JSON.stringify({ ...anomaly, spanIds: [1] }))).toBeNull()
    expect(parseAnomaly('nope')).toBeNull()
  })
})

describe('parseAlertEvent', () => {
  const event = {
    id: 3,
    ruleId: 'slow-p95',
    ruleName: 'Slow p95',
    state: 'firing',
    time: 1_764_756_060_000,
    metric: 'latencyMs.p95',
    value: 2_400,
    condition: '> 2000',
    key: null,
    message: '[FIRING] Slow p95: latencyMs.p95 is 2400',
  }

  test('reads firing and resolved events', () => {
    expect(parseAlertEvent(JSON.stringify(event))).toEqual(event as never)
    const resolved = { ...event, state: 'resolved', value: null, key: { model: 'a' } }
    expect(parseAlertEvent(JSON.stringify(resolved))).toEqual(resolved as never)
  })

  test('refuses anything else', () => {
    expect(parseAlertEvent(JSON.stringify({ ...event, state: 'pending' }))).toBeNull()
    expect(parseAlertEvent(JSON.stringify({ ...event, id: '3' }))).toBeNull()
    expect(parseAlertEvent('[]')).toBeNull()
  })
})
