import type { Window } from '../state/time-range.ts'

const DAY_MS = 86_400_000

/** What the current window is held against. */
export const REFERENCE_CHOICES = [
  { id: 'previous', label: 'the period just before' },
  { id: 'day', label: 'the same hours a day earlier' },
  { id: 'week', label: 'the same hours a week earlier' },
  { id: 'custom', label: 'a window of my choice' },
] as const

export type ReferenceChoice = (typeof REFERENCE_CHOICES)[number]['id']

export interface TimeSpan {
  fromMs: number
  toMs: number
}

/** The reference as the URL gives it: ?ref=day, or ?ref=custom&refFrom=…&refTo=…. */
export interface ReferenceQuery {
  choice: ReferenceChoice
  custom: TimeSpan | null
}

function readTime(value: string | null): number | null {
  if (value === null || value === '') return null
  const asNumber = Number(value)
  const ms = Number.isFinite(asNumber) ? asNumber : Date.parse(value)
  return Number.isFinite(ms) && ms >= 0 ? ms : null
}

export function readReference(params: URLSearchParams): ReferenceQuery {
  const id = params.get('ref')
  const choice = REFERENCE_CHOICES.find((c) => c.id === id)?.id ?? 'previous'
  if (choice !== 'custom') return { choice, custom: null }
  const fromMs = readTime(params.get('refFrom'))
  const toMs = readTime(params.get('refTo'))
  // A custom choice without a valid window falls back to the period before, as the server does.
  if (fromMs === null || toMs === null || fromMs >= toMs)
    return { choice: 'previous', custom: null }
  return { choice, custom: { fromMs, toMs } }
}

/** `params` with the reference written in, and nothing of an earlier one left. */
export function writeReference(
  reference: ReferenceQuery,
  params: URLSearchParams,
): URLSearchParams {
  const out = new URLSearchParams(params)
  for (const key of ['ref', 'refFrom', 'refTo']) out.delete(key)
  if (reference.choice === 'previous') return out
  out.set('ref', reference.choice)
  if (reference.choice === 'custom' && reference.custom !== null) {
    out.set('refFrom', new Date(reference.custom.fromMs).toISOString())
    out.set('refTo', new Date(reference.custom.toMs).toISOString())
  }
  return out
}

/** The reference window for the current window. */
export function referenceWindow(reference: ReferenceQuery, current: Window): TimeSpan {
  const lengthMs = current.toMs - current.fromMs
  switch (reference.choice) {
    case 'day':
      return { fromMs: current.fromMs - DAY_MS, toMs: current.toMs - DAY_MS }
    case 'week':
      return { fromMs: current.fromMs - 7 * DAY_MS, toMs: current.toMs - 7 * DAY_MS }
    case 'custom':
      if (reference.custom !== null) return reference.custom
      return { fromMs: current.fromMs - lengthMs, toMs: current.fromMs }
    default:
      return { fromMs: current.fromMs - lengthMs, toMs: current.fromMs }
  }
}

/** Whether two windows share any time: then a shift between them is partly hidden. */
export function overlaps(a: TimeSpan, b: TimeSpan): boolean {
  return a.fromMs < b.toMs && b.fromMs < a.toMs
}
