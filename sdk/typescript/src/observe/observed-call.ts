import type { Recorder } from '../recorder.ts'
import { isPromiseLike } from '../run-span.ts'
import type { LiveSpan } from '../span.ts'
import type { ObserveOptions } from '../types.ts'
import type { CallShape } from './call-shape.ts'
import { record } from './json.ts'
import { tapStream } from './stream-tap.ts'

/**
 * The promise the official clients return (`APIPromise`): a Promise that parses the body only
 * when awaited, with `withResponse()`, `asResponse()` and the internal `_thenUnwrap(transform)`
 * that the clients' own helpers use to derive results.
 */
interface ClientPromise {
  asResponse(): Promise<unknown>
  parseResponse: (...args: unknown[]) => unknown
  _thenUnwrap?: (transform: (data: unknown, props: unknown) => unknown) => unknown
}

function isClientPromise(value: unknown): value is ClientPromise {
  const candidate = value as Partial<ClientPromise> | null
  return (
    isPromiseLike(value) &&
    typeof candidate?.parseResponse === 'function' &&
    typeof candidate.asResponse === 'function'
  )
}

function safely(recorder: Recorder, work: () => void): void {
  try {
    work()
  } catch (cause) {
    recorder.report({ kind: 'instrumentation-failed', message: String(cause), cause })
  }
}

/** Records the result into the span; a stream keeps the span open until it ends. */
function finishWith(
  recorder: Recorder,
  span: LiveSpan,
  shape: CallShape,
  streamed: boolean,
  data: unknown,
) {
  let open = false
  safely(recorder, () => {
    if (streamed && shape.stream) open = tapStream(data, span, shape.stream(span), recorder)
    if (!open) shape.response(span, data)
  })
  if (!open) span.end()
}

/**
 * One call of a known API method, recorded. The client's promise is returned as the client's
 * own class: `_thenUnwrap` derives an `APIPromise` that sees the parsed result the moment the
 * application does, so `withResponse()` keeps working and nothing is parsed that the
 * application did not ask for. Errors are seen through `asResponse()`, which rejects exactly
 * when the request fails (after the client's own retries) and does not consume the body.
 */
export function observedCall(
  recorder: Recorder,
  scope: ObserveOptions,
  shape: CallShape,
  method: (...args: unknown[]) => unknown,
  target: object,
  args: unknown[],
): unknown {
  const span = recorder.startSpan({
    name: shape.operation,
    kind: shape.kind,
    attributes: scope,
    parent: scope.parent,
    captureContent: scope.captureContent,
  })
  if (span === null) return Reflect.apply(method, target, args)
  if (!span.sampled) {
    span.end()
    return Reflect.apply(method, target, args)
  }

  const body = record(args[0])
  safely(recorder, () => {
    span.provider = scope.provider ?? null
    if (body) shape.request(span, body)
  })
  const streamed = body?.stream === true

  // The call runs in the caller's context, not the span's: nothing the SDK records nests under a
  // model call, and entering an AsyncLocalStorage scope for the client's dozens of internal
  // awaits costs ~2 µs per call (measured under Bun 1.4, see bench/src/sdk-overhead.ts).
  let result: unknown
  try {
    result = Reflect.apply(method, target, args)
  } catch (error) {
    span.fail(error)
    span.end()
    throw error
  }

  if (isClientPromise(result)) {
    result.asResponse().then(undefined, (error: unknown) => {
      span.fail(error)
      span.end()
    })
    // Promises derived by the client's helpers parse through this one again: record once.
    let seen = false
    const finish = (data: unknown) => {
      if (!seen) finishWith(recorder, span, shape, streamed, data)
      seen = true
      return data
    }
    const parse = result.parseResponse
    result.parseResponse = function observedParse(this: unknown, ...parseArgs: unknown[]) {
      const data = Reflect.apply(parse, this, parseArgs)
      return isPromiseLike(data) ? Promise.resolve(data).then(finish) : finish(data)
    }
    // openai >= 7 gives each promise an own `_thenUnwrap` that parses through a captured
    // function, not `parseResponse`; its helpers (`responses.stream`) derive their promise so.
    const unwrap = result._thenUnwrap
    if (typeof unwrap === 'function' && Object.hasOwn(result, '_thenUnwrap')) {
      result._thenUnwrap = function observedUnwrap(this: unknown, transform) {
        return Reflect.apply(unwrap, this, [
          (data: unknown, props: unknown) => transform(finish(data), props),
        ])
      }
    }
    return result
  }
  if (isPromiseLike(result)) {
    return Promise.resolve(result).then(
      (data) => {
        finishWith(recorder, span, shape, streamed, data)
        return data
      },
      (error: unknown) => {
        span.fail(error)
        span.end()
        throw error
      },
    )
  }
  finishWith(recorder, span, shape, streamed, result)
  return result
}
