import { describe, expect, test } from 'bun:test'
import type { TestResultReply } from '@llmlens/spec'
import { formatMs, formatPercent, formatUsd } from '../format/numbers.ts'
import {
  COST_WORDING,
  ERROR_RATE_WORDING,
  formatPValue,
  LATENCY_WORDING,
  pValueText,
  relativeSize,
  scoreWording,
  tokenWording,
  verdictOf,
} from './verdict.ts'

function result(fields: Partial<TestResultReply>): TestResultReply {
  return {
    a: 800,
    b: 896,
    diff: 96,
    ci95: [40, 150],
    pValue: 0.003,
    method: 'Mann-Whitney U',
    nA: 2_000,
    nB: 2_000,
    significant: true,
    warning: null,
    ...fields,
  }
}

describe('verdictOf', () => {
  test('a significant rise in latency: B is slower, and that is worse', () => {
    expect(verdictOf(result({}), LATENCY_WORDING, formatMs)).toEqual({
      text: 'B is 12% slower (p = 0.003)',
      tone: 'worse',
    })
  })

  test('a significant fall in latency: B is faster, and that is better', () => {
    const faster = result({ a: 2_178, b: 1_794, diff: -384, pValue: 7e-12 })
    expect(verdictOf(faster, LATENCY_WORDING, formatMs)).toEqual({
      text: 'B is 18% faster (p < 0.001)',
      tone: 'better',
    })
  })

  test('no significance is no detectable difference, whatever the sign', () => {
    const noise = result({ diff: -20, pValue: 0.41, significant: false })
    expect(verdictOf(noise, LATENCY_WORDING, formatMs)).toEqual({
      text: 'No detectable difference (p = 0.410)',
      tone: 'same',
    })
  })

  test('small samples say so instead of judging, even at a small p', () => {
    const few = result({
      pValue: 0.01,
      significant: false,
      warning: 'too few errors to conclude: the test needs 10 of each per arm (fewest seen: 3)',
    })
    expect(verdictOf(few, ERROR_RATE_WORDING, formatPercent)).toEqual({
      text: 'Too few samples to conclude (p = 0.010)',
      tone: 'inconclusive',
    })
  })

  test('no p-value at all: not tested, or too few samples when the server says why', () => {
    const empty = result({ b: null, diff: null, ci95: null, pValue: null, significant: false })
    expect(verdictOf(empty, LATENCY_WORDING, formatMs).text).toBe('Not tested')
    const none = { ...empty, warning: 'b has 0 values' }
    expect(verdictOf(none, LATENCY_WORDING, formatMs)).toEqual({
      text: 'Too few samples to conclude',
      tone: 'none',
    })
    expect(verdictOf(null, LATENCY_WORDING, formatMs)).toEqual({ text: '—', tone: 'none' })
  })

  test('each metric has its own words and its own good direction', () => {
    const cheaper = result({ a: 0.0027, b: 0.0023, diff: -0.0004 })
    expect(verdictOf(cheaper, COST_WORDING, formatUsd)).toEqual({
      text: 'B costs 15% less per call (p = 0.003)',
      tone: 'better',
    })
    const fewer = result({ a: 384.6, b: 151.4, diff: -233.2, pValue: 2e-48 })
    expect(verdictOf(fewer, tokenWording('output'), String)).toEqual({
      text: 'B uses 61% fewer output tokens per call (p < 0.001)',
      tone: 'different',
    })
    const happier = result({ a: 0.657, b: 0.729, diff: 0.072, pValue: 0.00025 })
    expect(verdictOf(happier, scoreWording('helpfulness'), String)).toEqual({
      text: 'B scores 11% higher on helpfulness (p < 0.001)',
      tone: 'better',
    })
    const failing = result({ a: 0.01, b: 0.03, diff: 0.02, pValue: 0.0001 })
    expect(verdictOf(failing, ERROR_RATE_WORDING, formatPercent)).toEqual({
      text: 'B fails 200% more often (p < 0.001)',
      tone: 'worse',
    })
  })

  test("when A's value is zero the size is the absolute difference", () => {
    const fromZero = result({ a: 0, b: 0.02, diff: 0.02 })
    expect(verdictOf(fromZero, ERROR_RATE_WORDING, formatPercent).text).toBe(
      'B fails 2% more often (p = 0.003)',
    )
  })

  test('a score name is text in the sentence, whatever it holds', () => {
    const odd = '<img src=x onerror=alert(1)>'
    expect(verdictOf(result({}), scoreWording(odd), String).text).toBe(
      `B scores 12% higher on ${odd} (p = 0.003)`,
    )
  })
})

describe('numbers in verdicts', () => {
  test('relative sizes keep one decimal below 10%', () => {
    expect(relativeSize(0.042)).toBe('4.2%')
    expect(relativeSize(-0.05)).toBe('5%')
    expect(relativeSize(0.1234)).toBe('12%')
    expect(relativeSize(12.5)).toBe('1,250%')
  })

  test('p-values', () => {
    expect(formatPValue(0.0004)).toBe('< 0.001')
    expect(formatPValue(0.05)).toBe('0.050')
    expect(pValueText(0.0004)).toBe('p < 0.001')
    expect(pValueText(0.6859)).toBe('p = 0.686')
  })
})
