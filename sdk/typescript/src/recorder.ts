import { mergeAttributes } from './attributes.ts'
import { type Clock, systemClock } from './clock.ts'
import type { Config } from './config.ts'
import { createContext } from './context.ts'
import { Exporter } from './export/exporter.ts'
import { type IdGenerator, randomIds } from './ids.ts'
import { LiveSpan, type SpanSink } from './span.ts'
import type { ActiveSpan, Attributes, LlmlensErrorEvent, SpanKind } from './types.ts'

/** Marks work the SDK does for itself, such as its exports, so that nothing records it. */
export const UNTRACED: unique symbol = Symbol('llmlens.untraced')
export type Frame = LiveSpan | typeof UNTRACED

/**
 * One context for the whole module, so spans of different instances still nest: an `observe`d
 * client of one instance called inside a `trace` of another lands under it.
 */
export const spanContext = createContext<Frame>()

export interface StartRequest {
  name: string
  kind: SpanKind
  attributes?: Attributes
  /** An explicit parent; otherwise the active span, if any. */
  parent?: ActiveSpan
  captureContent?: boolean
  /** True for `trace()`: a new trace whatever is active. */
  root?: boolean
}

/** Test seams: a fixed clock and ids make payloads exact. */
export interface RecorderDeps {
  clock?: Clock
  ids?: IdGenerator
}

/**
 * Starts spans with the right parent, attributes and sampling decision, and hands finished ones
 * to the exporter. Everything an instrumentation needs from the SDK goes through here.
 */
export class Recorder implements SpanSink {
  readonly exporter: Exporter
  private readonly clock: Clock
  private readonly ids: IdGenerator

  constructor(
    readonly config: Config,
    deps: RecorderDeps = {},
  ) {
    this.clock = deps.clock ?? systemClock
    this.ids = deps.ids ?? randomIds
    this.exporter = new Exporter(config, (fn) => spanContext.run(UNTRACED, fn))
  }

  /** A new span, or null when nothing may be recorded (disabled, or inside the SDK's own work). */
  startSpan(request: StartRequest): LiveSpan | null {
    if (!this.config.enabled) return null
    const active = spanContext.active()
    if (active === UNTRACED) return null
    const explicit = request.parent instanceof LiveSpan ? request.parent : undefined
    const parent = request.root ? explicit : (explicit ?? active)

    const sampled = parent ? parent.sampled : this.sampleNewTrace()
    const inherited = parent ? parent.attributes : this.config.attributes
    return new LiveSpan({
      traceId: parent ? parent.traceId : this.ids.traceId(),
      spanId: this.ids.spanId(),
      parentSpanId: parent ? parent.spanId : null,
      name: request.name,
      kind: request.kind,
      attributes: mergeAttributes(inherited, request.attributes),
      sampled,
      captureContent:
        request.captureContent ?? (parent ? parent.captureContent : this.config.captureContent),
      sink: this,
      clock: this.clock,
    })
  }

  /** The span callbacks run in, or undefined outside any. */
  activeSpan(): LiveSpan | undefined {
    const active = spanContext.active()
    return active === UNTRACED ? undefined : active
  }

  runInSpan<R>(span: LiveSpan, fn: () => R): R {
    return spanContext.run(span, fn)
  }

  spanEnded(span: LiveSpan): void {
    if (span.sampled) this.exporter.enqueue(span)
    else this.exporter.countSampledOut()
  }

  nowMs(): number {
    return this.clock.wallMs()
  }

  report(event: LlmlensErrorEvent): void {
    this.exporter.report(event)
  }

  private sampleNewTrace(): boolean {
    const rate = this.config.sampleRate
    return rate >= 1 || (rate > 0 && Math.random() < rate)
  }
}
