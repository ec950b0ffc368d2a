import type { Recorder } from './recorder.ts'
import type { LiveSpan } from './span.ts'

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * Runs `fn` as the active span and ends the span when `fn` returns, or when the promise it
 * returns settles. Errors are recorded and passed on unchanged; `onValue` (the instrumentation's
 * own code) may fail without the application noticing.
 */
export function runInSpan<R>(
  recorder: Recorder,
  span: LiveSpan,
  fn: () => R,
  onValue?: (value: unknown) => void,
): R {
  const settle = (value: unknown) => {
    if (onValue) {
      try {
        onValue(value)
      } catch (error) {
        recorder.report({ kind: 'hook-failed', message: String(error), cause: error })
      }
    }
    span.end()
  }
  const fail = (error: unknown) => {
    span.fail(error)
    span.end()
  }

  let result: R
  try {
    result = recorder.runInSpan(span, fn)
  } catch (error) {
    fail(error)
    throw error
  }
  if (!isPromiseLike(result)) {
    settle(result)
    return result
  }
  // A new promise that settles as the original does, so a rejection nobody handles stays
  // unhandled for the application exactly as it was without the SDK.
  return Promise.resolve(result).then(
    (value) => {
      settle(value)
      return value
    },
    (error: unknown) => {
      fail(error)
      throw error
    },
  ) as R
}
