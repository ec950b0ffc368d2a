import type { Recorder } from '../recorder.ts'
import type { LiveSpan } from '../span.ts'
import type { StreamReader } from './call-shape.ts'

type IteratorFactory = () => AsyncIterator<unknown>

/**
 * An iterator that passes every event on unchanged and shows it to `reader` on the way. The
 * span ends when the stream does: exhausted, broken out of (`return`), or failed.
 */
function tapIterator(
  source: AsyncIterator<unknown>,
  span: LiveSpan,
  reader: StreamReader,
  recorder: Recorder,
): AsyncIterableIterator<unknown> {
  let finished = false
  const finish = (failed: boolean, error?: unknown) => {
    if (finished) return
    finished = true
    try {
      reader.end()
    } catch (cause) {
      recorder.report({ kind: 'instrumentation-failed', message: String(cause), cause })
    }
    if (failed) span.fail(error)
    span.end()
  }

  return {
    async next(...args: [] | [unknown]) {
      let step: IteratorResult<unknown>
      try {
        step = await source.next(...args)
      } catch (error) {
        finish(true, error)
        throw error
      }
      if (step.done) finish(false)
      else {
        try {
          reader.event(step.value)
        } catch (cause) {
          recorder.report({ kind: 'instrumentation-failed', message: String(cause), cause })
        }
      }
      return step
    },
    async return(value?: unknown) {
      finish(false)
      return source.return ? source.return(value) : { done: true, value }
    },
    async throw(error?: unknown) {
      finish(true, error)
      if (source.throw) return source.throw(error)
      throw error
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

/**
 * Makes a provider's stream object report to `reader` without replacing it, so the application
 * keeps the exact object (and class) the client returned. The official clients iterate, `tee()`
 * and `toReadableStream()` through the stream's `iterator` field; other async iterables get an
 * own `Symbol.asyncIterator`. Returns false for a value that is not a stream.
 */
export function tapStream(
  stream: unknown,
  span: LiveSpan,
  reader: StreamReader,
  recorder: Recorder,
): boolean {
  if (typeof stream !== 'object' || stream === null) return false
  const target = stream as { iterator?: unknown; [Symbol.asyncIterator]?: unknown }
  if (typeof target.iterator === 'function') {
    const original = target.iterator as IteratorFactory
    target.iterator = function tapped(this: unknown) {
      return tapIterator(original.call(this), span, reader, recorder)
    }
    return true
  }
  if (typeof target[Symbol.asyncIterator] === 'function') {
    const original = target[Symbol.asyncIterator] as IteratorFactory
    Object.defineProperty(stream, Symbol.asyncIterator, {
      configurable: true,
      value: function tapped(this: unknown) {
        return tapIterator(original.call(this), span, reader, recorder)
      },
    })
    return true
  }
  return false
}
