import type { Recorder } from './recorder.ts'
import { runInSpan } from './run-span.ts'
import type { AnyFunction, WrapOptions } from './types.ts'

function inputOf<F extends AnyFunction>(options: WrapOptions<F>, args: Parameters<F>): unknown {
  if (options.input) return options.input(...args)
  return args.length === 1 ? args[0] : args
}

/**
 * `fn` with a span around every call: the arguments as input, the result (awaited) as output,
 * a thrown error or rejection as the span's error. The returned function has `fn`'s exact type
 * and passes `this` through.
 */
export function wrapFunction<F extends AnyFunction>(
  recorder: () => Recorder,
  fn: F,
  options: WrapOptions<F> = {},
): F {
  const name = options.name ?? (fn.name || 'function')
  const kind = options.kind ?? 'span'

  function wrapped(this: unknown, ...args: Parameters<F>): unknown {
    const current = recorder()
    const span = current.startSpan({
      name,
      kind,
      attributes: options,
      parent: options.parent,
      captureContent: options.captureContent,
    })
    if (span === null) return Reflect.apply(fn, this, args)

    if (span.captureContent) {
      try {
        span.input = inputOf(options, args)
      } catch (error) {
        current.report({ kind: 'hook-failed', message: String(error), cause: error })
      }
    }
    return runInSpan(
      current,
      span,
      () => Reflect.apply(fn, this, args) as unknown,
      (value) => {
        if (span.captureContent) span.output = value
        options.onResult?.(value as Awaited<ReturnType<F>>, span)
      },
    )
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name })
  return wrapped as unknown as F
}
