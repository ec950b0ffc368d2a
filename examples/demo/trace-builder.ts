import { hexId, type Random } from './random.ts'
import type { AppEndpoint, DemoModel } from './scenario.ts'
import type { WireSpan } from './wire.ts'

/** A latency spike on one model: calls inside the window take `multiplier` times longer. */
export interface SpikeWindow {
  model: DemoModel
  startMs: number
  durationMs: number
  multiplier: number
}

/** What every span of one trace shares: who asked, where, and under which release. */
export interface TraceContext {
  traceId: string
  endpoint: AppEndpoint
  userId: string
  sessionId: string
  environment: 'production' | 'staging'
  release: string
  variant: 'a' | 'b'
  tags: string[]
  region: string
  spike: SpikeWindow | null
}

/** The fields a span needs beyond the trace-wide ones; the rest default to empty. */
export type SpanFields = Pick<
  WireSpan,
  'name' | 'kind' | 'parentSpanId' | 'startTime' | 'endTime'
> &
  Partial<Omit<WireSpan, 'traceId' | 'spanId'>>

/** Collects the spans of one trace, filling ids and the trace-wide fields. */
export class TraceBuilder {
  readonly spans: WireSpan[] = []

  constructor(
    readonly random: Random,
    readonly context: TraceContext,
  ) {}

  add(fields: SpanFields): WireSpan {
    const { context } = this
    const { parentSpanId, name, kind, startTime, endTime, metadata, ...optional } = fields
    // Identity and timing first, so a printed span reads top-down like the contract.
    const span: WireSpan = {
      traceId: context.traceId,
      spanId: hexId(this.random, 16),
      parentSpanId,
      name,
      kind,
      startTime,
      endTime,
      provider: null,
      model: null,
      endpoint: context.endpoint,
      status: 'ok',
      error: null,
      usage: null,
      costUsd: null,
      timeToFirstTokenMs: null,
      finishReason: null,
      userId: context.userId,
      sessionId: context.sessionId,
      environment: context.environment,
      release: context.release,
      tags: [...context.tags],
      input: null,
      output: null,
      ...optional,
      metadata: { region: context.region, ...metadata },
    }
    this.spans.push(span)
    return span
  }

  /** Closes a parent span after its children, failing it with the first child error. */
  close(parent: WireSpan, gapMs = 2): void {
    const children = this.spans.filter((span) => span.parentSpanId === parent.spanId)
    const lastEndMs = Math.max(parent.startTime, ...children.map((span) => span.endTime))
    parent.endTime = lastEndMs + gapMs
    const failed = children.find((span) => span.status === 'error')
    if (failed) {
      parent.status = 'error'
      parent.error = failed.error
    }
  }
}
