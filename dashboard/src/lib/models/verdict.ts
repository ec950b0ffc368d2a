import type { TestResultReply } from '@llmlens/spec'

/** How a verdict words a difference of B from A, and which way is good news. */
export interface Wording {
  /** The phrase after "B" for a rise and for a fall, given the size: "is 12% slower". */
  rise: (size: string) => string
  fall: (size: string) => string
  /** Which direction is an improvement; null when neither is (token counts). */
  better: 'lower' | 'higher' | null
}

export type VerdictTone = 'better' | 'worse' | 'different' | 'same' | 'inconclusive' | 'none'

/** One metric's comparison in plain words, and a tone for its colour. */
export interface Verdict {
  text: string
  tone: VerdictTone
}

export function formatPValue(p: number): string {
  if (p < 0.001) return '< 0.001'
  return p.toFixed(3)
}

/** "p = 0.003", or "p < 0.001" for anything smaller. */
export function pValueText(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`
}

const wholeNumber = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** A relative size: 4.2%, 12%, 1,250%; a change under 10% keeps one decimal. */
export function relativeSize(ratio: number): string {
  const percent = Math.abs(ratio) * 100
  if (percent < 10) return `${Number(percent.toFixed(1))}%`
  return `${wholeNumber.format(percent)}%`
}

/**
 * What a test says, in a sentence a reader acts on: "B is 12% slower (p = 0.003)", "No
 * detectable difference (p = 0.41)", or that the samples are too small to say. The size is
 * relative to A's value of the tested statistic (the median for latency, the mean for scores);
 * when A's is zero it is the absolute difference instead.
 *
 * @example
 *   const test = { a: 800, b: 896, diff: 96, pValue: 0.003, significant: true, ... }
 *   verdictOf(test, LATENCY_WORDING, formatMs)
 *   // { text: 'B is 12% slower (p = 0.003)', tone: 'worse' }
 */
export function verdictOf(
  test: TestResultReply | null,
  wording: Wording,
  format: (value: number) => string,
): Verdict {
  if (test === null) return { text: '—', tone: 'none' }
  if (test.pValue === null || test.diff === null) {
    return {
      text: test.warning === null ? 'Not tested' : 'Too few samples to conclude',
      tone: 'none',
    }
  }
  const p = pValueText(test.pValue)
  if (test.warning !== null)
    return { text: `Too few samples to conclude (${p})`, tone: 'inconclusive' }
  if (!test.significant || test.diff === 0) {
    return { text: `No detectable difference (${p})`, tone: 'same' }
  }

  const rising = test.diff > 0
  const size =
    test.a !== null && test.a !== 0 ? relativeSize(test.diff / test.a) : format(Math.abs(test.diff))
  const phrase = rising ? wording.rise(size) : wording.fall(size)
  let tone: VerdictTone = 'different'
  if (wording.better !== null) tone = rising === (wording.better === 'higher') ? 'better' : 'worse'
  return { text: `B ${phrase} (${p})`, tone }
}

export const LATENCY_WORDING: Wording = {
  rise: (size) => `is ${size} slower`,
  fall: (size) => `is ${size} faster`,
  better: 'lower',
}

export const TTFT_WORDING: Wording = {
  rise: (size) => `starts answering ${size} later`,
  fall: (size) => `starts answering ${size} sooner`,
  better: 'lower',
}

export const ERROR_RATE_WORDING: Wording = {
  rise: (size) => `fails ${size} more often`,
  fall: (size) => `fails ${size} less often`,
  better: 'lower',
}

export const COST_WORDING: Wording = {
  rise: (size) => `costs ${size} more per call`,
  fall: (size) => `costs ${size} less per call`,
  better: 'lower',
}

export const tokenWording = (which: 'input' | 'output'): Wording => ({
  rise: (size) => `uses ${size} more ${which} tokens per call`,
  fall: (size) => `uses ${size} fewer ${which} tokens per call`,
  better: null,
})

export const scoreWording = (name: string): Wording => ({
  rise: (size) => `scores ${size} higher on ${name}`,
  fall: (size) => `scores ${size} lower on ${name}`,
  better: 'higher',
})
