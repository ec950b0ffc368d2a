/**
 * llmlens: two-line observability for LLM applications.
 *
 * @example
 * import OpenAI from 'openai'
 * import { observe } from 'llmlens'
 * const openai = observe(new OpenAI())
 *
 * @packageDocumentation
 */
import type { LlmlensOptions } from './config.ts'
import { createLlmlens, type Llmlens } from './llmlens.ts'
import { observeClient } from './observe/proxy.ts'
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

export { DEFAULT_URL, type LlmlensOptions } from './config.ts'
export { createLlmlens, Llmlens } from './llmlens.ts'
export type * from './types.ts'

let shared: Llmlens | null = null

/** The instance the module-level functions use, made from the environment on first use. */
function instance(): Llmlens {
  shared ??= createLlmlens()
  return shared
}

/**
 * Configures the module-level functions. Optional: without it, settings come from `LLMLENS_*`
 * variables and defaults. Calling it again replaces the instance; the old one flushes and stops.
 *
 * @example
 * init({ url: 'https://llmlens.internal', apiKey: process.env.LLMLENS_API_KEY, release: '1.4.2' })
 */
export function init(options: LlmlensOptions = {}): Llmlens {
  const previous = shared
  shared = createLlmlens(options)
  if (previous) void previous.shutdown()
  return shared
}

/**
 * The OpenAI or Anthropic client, of exactly the same type, with every model call recorded:
 * chat completions, responses, embeddings, messages; streamed or not. Pass attributes to record
 * them on every call through the returned client.
 *
 * @example
 * const openai = observe(new OpenAI())
 * const anthropic = observe(new Anthropic(), { endpoint: '/api/summarise' })
 * await observe(openai, { userId: user.id }).chat.completions.create({ model, messages })
 */
export function observe<T extends object>(client: T, options: ObserveOptions = {}): T {
  return observeClient(client, () => instance().recorder, options)
}

/**
 * Runs `fn` as the root span of a new trace: everything inside lands under it.
 *
 * @example
 * const answer = await trace('answer', { userId: 'u-17', sessionId: 's-3' }, async (root) => {
 *   const reply = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
 *   score({ traceId: root.traceId, name: 'length', value: reply.choices.length })
 *   return reply
 * })
 */
export function trace<R>(name: string, fn: (span: ActiveSpan) => R): R
export function trace<R>(name: string, options: SpanOptions, fn: (span: ActiveSpan) => R): R
export function trace<R>(
  name: string,
  optionsOrFn: SpanOptions | ((span: ActiveSpan) => R),
  fn?: (span: ActiveSpan) => R,
): R {
  if (typeof optionsOrFn === 'function') return instance().trace(name, optionsOrFn)
  return instance().trace(name, optionsOrFn, fn as (span: ActiveSpan) => R)
}

/**
 * Runs `fn` as a span of the active trace: a tool, a retrieval, an agent step.
 *
 * @example
 * const weather = await span('get_weather', { kind: 'tool', input: { city } }, () => lookup(city))
 */
export function span<R>(name: string, fn: (span: ActiveSpan) => R): R
export function span<R>(name: string, options: SpanOptions, fn: (span: ActiveSpan) => R): R
export function span<R>(
  name: string,
  optionsOrFn: SpanOptions | ((span: ActiveSpan) => R),
  fn?: (span: ActiveSpan) => R,
): R {
  if (typeof optionsOrFn === 'function') return instance().span(name, optionsOrFn)
  return instance().span(name, optionsOrFn, fn as (span: ActiveSpan) => R)
}

/**
 * `fn`, of exactly the same type, with a span around every call. Works for any function,
 * including other providers' clients.
 *
 * @example
 * const search = wrap(vectorStore.search.bind(vectorStore), { kind: 'retrieval', name: 'search' })
 * const generate = wrap(mistral.chat.complete.bind(mistral.chat), {
 *   kind: 'llm',
 *   name: 'chat mistral-small',
 *   onResult: (result, s) => s.update({ provider: 'mistral', model: result.model }),
 * })
 */
export function wrap<F extends AnyFunction>(fn: F, options: WrapOptions<F> = {}): F {
  return wrapFunction(() => instance().recorder, fn, options)
}

/**
 * Records user feedback or an evaluation for a trace or one of its spans.
 *
 * @example
 * score({ traceId, name: 'helpfulness', value: 0.8, source: 'user', comment: 'great' })
 * score({ traceId, spanId, name: 'thumbs', label: 'down', source: 'user' })
 */
export function score(input: ScoreInput): void {
  instance().score(input)
}

/**
 * The span the calling code runs in, where the runtime carries async context.
 *
 * @example
 * const traceId = currentSpan()?.traceId
 */
export function currentSpan(): ActiveSpan | undefined {
  return instance().currentSpan()
}

/**
 * Sends everything queued: true when done, false after `timeoutMs` (default 5000); never
 * rejects. Edge functions call it before they return (`ctx.waitUntil(flush())`).
 *
 * @example
 * await flush(2000)
 */
export function flush(timeoutMs?: number): Promise<boolean> {
  return instance().flush(timeoutMs)
}

/**
 * Flushes and stops recording; call it when the process is told to stop.
 *
 * @example
 * process.on('SIGTERM', () => shutdown().then(() => process.exit(0)))
 */
export function shutdown(timeoutMs?: number): Promise<boolean> {
  return instance().shutdown(timeoutMs)
}

/**
 * The exporter's counters: queued, dropped, exported, failed, rejected, sampled out.
 *
 * @example
 * if (stats().dropped > 0) metrics.gauge('llmlens.dropped', stats().dropped)
 */
export function stats(): ExporterStats {
  return instance().stats()
}
