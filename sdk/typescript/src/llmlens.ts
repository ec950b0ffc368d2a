import { type LlmlensOptions, processEnv, resolveConfig } from './config.ts'
import { observeClient } from './observe/proxy.ts'
import { Recorder, type RecorderDeps } from './recorder.ts'
import { runInSpan } from './run-span.ts'
import { validScore } from './score.ts'
import type {
  ActiveSpan,
  AnyFunction,
  ExporterStats,
  ObserveOptions,
  ScoreInput,
  SpanOptions,
  WrapOptions,
} from './types.ts'
import { wrapFunction } from './wrap.ts'

type SpanCallback<R> = (span: ActiveSpan) => R

/** Splits `(name, fn)` and `(name, options, fn)`. */
function callArgs<R>(
  optionsOrFn: SpanOptions | SpanCallback<R>,
  maybeFn: SpanCallback<R> | undefined,
): [SpanOptions, SpanCallback<R>] {
  if (typeof optionsOrFn === 'function') return [{}, optionsOrFn]
  return [optionsOrFn, maybeFn as SpanCallback<R>]
}

/**
 * One configured SDK: its own exporter, settings and counters. Most applications use the
 * module-level functions (`observe`, `trace`, …), which share one instance made by `init()`.
 *
 * @example
 * const lens = createLlmlens({ url: 'http://127.0.0.1:4380', environment: 'staging' })
 * const openai = lens.observe(new OpenAI())
 */
export class Llmlens {
  /** @internal */
  readonly recorder: Recorder

  constructor(options: LlmlensOptions = {}, deps: RecorderDeps = {}) {
    this.recorder = new Recorder(resolveConfig(options, processEnv()), deps)
  }

  /**
   * The client, unchanged in type and behaviour, with every model call recorded as a span.
   *
   * @example
   * const openai = lens.observe(new OpenAI())
   * const perUser = lens.observe(openai, { userId: 'u-17', endpoint: '/api/chat' })
   */
  observe<T extends object>(client: T, options: ObserveOptions = {}): T {
    return observeClient(client, () => this.recorder, options)
  }

  /**
   * Runs `fn` as the root span of a new trace; spans and model calls inside land under it.
   *
   * @example
   * await lens.trace('answer question', { userId: 'u-17', kind: 'agent' }, async () => {
   *   return openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
   * })
   */
  trace<R>(name: string, fn: SpanCallback<R>): R
  trace<R>(name: string, options: SpanOptions, fn: SpanCallback<R>): R
  trace<R>(name: string, optionsOrFn: SpanOptions | SpanCallback<R>, maybeFn?: SpanCallback<R>): R {
    const [options, fn] = callArgs(optionsOrFn, maybeFn)
    return this.run(name, options, fn, true)
  }

  /**
   * Runs `fn` as a span under the active one (or under `options.parent`): a tool call, a
   * retrieval, an agent step.
   *
   * @example
   * const docs = await lens.span('search docs', { kind: 'retrieval' }, () => index.search(q))
   */
  span<R>(name: string, fn: SpanCallback<R>): R
  span<R>(name: string, options: SpanOptions, fn: SpanCallback<R>): R
  span<R>(name: string, optionsOrFn: SpanOptions | SpanCallback<R>, maybeFn?: SpanCallback<R>): R {
    const [options, fn] = callArgs(optionsOrFn, maybeFn)
    return this.run(name, options, fn, false)
  }

  /**
   * `fn` with a span around every call, keeping its exact type.
   *
   * @example
   * const getWeather = lens.wrap(fetchWeather, { kind: 'tool', name: 'get_weather' })
   */
  wrap<F extends AnyFunction>(fn: F, options: WrapOptions<F> = {}): F {
    return wrapFunction(() => this.recorder, fn, options)
  }

  /**
   * Records a score of a trace or of one span. Invalid scores go to `onError`, never throw.
   *
   * @example
   * lens.score({ traceId, name: 'thumbs', label: 'up', source: 'user' })
   */
  score(input: ScoreInput): void {
    const recorder = this.recorder
    if (!recorder.config.enabled) return
    const checked = validScore(input, recorder.nowMs())
    if (typeof checked === 'string') recorder.report({ kind: 'invalid-score', message: checked })
    else recorder.exporter.enqueue(checked)
  }

  /** The span the current code runs in, where the runtime carries async context. */
  currentSpan(): ActiveSpan | undefined {
    return this.recorder.activeSpan()
  }

  /**
   * Sends everything queued. Resolves true when done, false after `timeoutMs`; never rejects.
   *
   * @example
   * export default { fetch: async (req, env, ctx) => { ctx.waitUntil(lens.flush()); … } }
   */
  flush(timeoutMs?: number): Promise<boolean> {
    return this.recorder.exporter.flush(timeoutMs)
  }

  /** Flushes, then stops recording. Call it from a SIGTERM handler. */
  shutdown(timeoutMs?: number): Promise<boolean> {
    return this.recorder.exporter.shutdown(timeoutMs)
  }

  /** Queue length and counters: what was sent, dropped, failed, refused, sampled out. */
  stats(): ExporterStats {
    return this.recorder.exporter.stats()
  }

  private run<R>(name: string, options: SpanOptions, fn: SpanCallback<R>, root: boolean): R {
    const span = this.recorder.startSpan({
      name,
      kind: options.kind ?? (root ? 'chain' : 'span'),
      attributes: options,
      parent: options.parent,
      captureContent: options.captureContent,
      root,
    })
    if (span === null) return fn(INERT_SPAN)
    if (options.input !== undefined && span.captureContent) span.input = options.input
    return runInSpan(this.recorder, span, () => fn(span))
  }
}

/** Handed to callbacks when nothing is recorded, so their code needs no null checks. */
const INERT_SPAN: ActiveSpan = Object.freeze({
  traceId: '00000000000000000000000000000000',
  spanId: '0000000000000000',
  update: () => undefined,
})

/**
 * A new, independent SDK instance.
 *
 * @example
 * const lens = createLlmlens({ apiKey: process.env.LLMLENS_API_KEY, release: '2026.12.1' })
 */
export function createLlmlens(options: LlmlensOptions = {}): Llmlens {
  return new Llmlens(options)
}
