/**
 * Wall-clock start times with monotonic durations: `Date.now()` says when a span started,
 * `performance.now()` how long it took, so a clock step during a call never yields a negative
 * or inflated duration. Replaceable in tests.
 */
export interface Clock {
  /** Epoch milliseconds. */
  wallMs(): number
  /** A monotonic reading in milliseconds, with fractions. */
  monotonicMs(): number
}

export const systemClock: Clock = {
  wallMs: () => Date.now(),
  monotonicMs: () => performance.now(),
}
