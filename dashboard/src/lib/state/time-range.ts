const SECOND_MS = 1_000
const MINUTE_MS = 60 * SECOND_MS
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

export const PRESETS = [
  { id: '15m', label: '15 min', rangeMs: 15 * MINUTE_MS },
  { id: '1h', label: '1 hour', rangeMs: HOUR_MS },
  { id: '6h', label: '6 hours', rangeMs: 6 * HOUR_MS },
  { id: '24h', label: '24 hours', rangeMs: DAY_MS },
  { id: '7d', label: '7 days', rangeMs: 7 * DAY_MS },
  { id: '30d', label: '30 days', rangeMs: 30 * DAY_MS },
] as const

export type PresetId = (typeof PRESETS)[number]['id']

/** A sliding "last N" range, or fixed start and end times. */
export type TimeRange =
  | { kind: 'preset'; preset: PresetId }
  | { kind: 'absolute'; fromMs: number; toMs: number }

// The demo backfills six hours, and six hours shows a working day's shape at 3-minute buckets.
export const DEFAULT_PRESET: PresetId = '6h'
export const DEFAULT_RANGE: TimeRange = { kind: 'preset', preset: DEFAULT_PRESET }

/** The concrete times a range covers at one moment, and the bucket width of its charts. */
export interface Window {
  fromMs: number
  toMs: number
  stepMs: number
}

// About as many buckets as the server picks by default: enough for a smooth line on a laptop
// screen, few enough that each bucket holds a meaningful percentile.
const BUCKETS_TARGET = 120
const NICE_STEPS_MS = [
  1, 5, 10, 15, 30, 60, 300, 600, 900, 1_800, 3_600, 10_800, 21_600, 43_200, 86_400,
].map((seconds) => seconds * SECOND_MS)

export function isPresetId(value: string): value is PresetId {
  return PRESETS.some((preset) => preset.id === value)
}

export function presetRangeMs(id: PresetId): number {
  return PRESETS.find((preset) => preset.id === id)?.rangeMs ?? HOUR_MS
}

/** The smallest step a person would pick that keeps the range to about 120 buckets. */
export function niceStepMs(rangeMs: number): number {
  const raw = rangeMs / BUCKETS_TARGET
  return NICE_STEPS_MS.find((step) => step >= raw) ?? Math.ceil(raw / DAY_MS) * DAY_MS
}

/**
 * The window of a range at `nowMs`. A sliding window starts on a multiple of its step, so the
 * buckets stay put as time passes and a live span lands in the bucket the server would put it.
 */
export function resolveWindow(range: TimeRange, nowMs: number): Window {
  if (range.kind === 'absolute') {
    return { fromMs: range.fromMs, toMs: range.toMs, stepMs: niceStepMs(range.toMs - range.fromMs) }
  }
  const rangeMs = presetRangeMs(range.preset)
  const stepMs = niceStepMs(rangeMs)
  const toMs = Math.ceil(nowMs)
  return { fromMs: Math.floor((toMs - rangeMs) / stepMs) * stepMs, toMs, stepMs }
}

/** The window of the same length that ends where `window` starts. */
export function previousWindow(window: Window): Window {
  const lengthMs = window.toMs - window.fromMs
  return { fromMs: window.fromMs - lengthMs, toMs: window.fromMs, stepMs: window.stepMs }
}

/** Bucket start times of a window, oldest first. */
export function bucketStarts(window: Window): number[] {
  const count = Math.max(1, Math.ceil((window.toMs - window.fromMs) / window.stepMs))
  return Array.from({ length: count }, (_, i) => window.fromMs + i * window.stepMs)
}

/** A short description: "last 6 hours", or the two end times. */
export function describeRange(range: TimeRange, formatTime: (ms: number) => string): string {
  if (range.kind === 'preset') {
    return `last ${PRESETS.find((preset) => preset.id === range.preset)?.label ?? range.preset}`
  }
  return `${formatTime(range.fromMs)} – ${formatTime(range.toMs)}`
}
