import { type IngestReply, LIMITS, type Score, type Span } from '@llmlens/spec'
import type { Logger } from '../log.ts'
import { OTLP_LIMITS } from '../otlp/limits.ts'
import type { Pricer } from '../pricing/index.ts'
import { LlmMetrics } from '../prometheus/llm-metrics.ts'
import type { Hub } from '../realtime/hub.ts'
import type { NewSpan, Store, StoredScore } from '../store/types.ts'
import { normaliseScore, normaliseSpan } from './normalise.ts'
import { type FieldError, validateScore, validateSpan } from './validate.ts'

/** A request the collector refuses whole; `status` is the HTTP status that says why. */
export class IngestError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message)
  }
}

export interface IngestDeps {
  store: Store
  pricer: Pricer
  hub: Hub
  log: Logger
  /** Told of every newly stored span for GET /metrics; a fresh set of metrics by default. */
  llmMetrics?: LlmMetrics
}

export interface Ingest {
  /** A native request body: `{ spans, scores }`. */
  (body: unknown, receivedMs: number): IngestReply
  /**
   * Spans already in the wire shape, as the OTLP layer decodes them: the same validation,
   * normalisation, store and live feed, without the envelope. The caller keeps each call to at
   * most LIMITS.spansPerRequestMax spans, since one call is one transaction.
   */
  spans(spans: readonly unknown[], receivedMs: number): IngestReply
  readonly llmMetrics: LlmMetrics
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
}

function items(body: Record<string, unknown>, field: 'spans' | 'scores', max: number): unknown[] {
  const value = body[field]
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) {
    throw new IngestError(400, `${field} must be an array (actual: ${kindOf(value)})`)
  }
  if (value.length > max) {
    throw new IngestError(
      413,
      `${field} has ${value.length} items; at most ${max} are allowed per request`,
    )
  }
  return value
}

/**
 * The ingest pipeline: check the envelope, validate and normalise each item on its own so that
 * one bad item never sinks its batch, commit the good ones in one transaction, then announce
 * them live. Throws IngestError for a body that is not an ingest request at all.
 */
export function createIngest({ store, pricer, hub, log, llmMetrics }: IngestDeps): Ingest {
  const metrics = llmMetrics ?? new LlmMetrics({ seriesMax: OTLP_LIMITS.prometheusSeriesMax })

  function process(
    rawSpans: readonly unknown[],
    rawScores: readonly unknown[],
    receivedMs: number,
  ): IngestReply {
    const reply: IngestReply = { accepted: 0, rejected: [], warnings: [] }
    const spans: NewSpan[] = []
    const scores: StoredScore[] = []
    const reject = (index: number, kind: 'span' | 'score', errors: FieldError[]) => {
      const first = errors[0] ?? { path: `${kind}s[${index}]`, message: 'is invalid' }
      const error = errors.map((e) => `${e.path} ${e.message}`).join('; ')
      reply.rejected.push({ index, kind, path: first.path, error })
    }
    const warn = (index: number, kind: 'span' | 'score', warnings: FieldError[]) => {
      for (const w of warnings)
        reply.warnings.push({ index, kind, path: w.path, warning: `${w.path} ${w.message}` })
    }

    for (const [index, raw] of rawSpans.entries()) {
      const path = `spans[${index}]`
      const invalid = validateSpan(raw, path)
      const result = invalid ? null : normaliseSpan(raw as Span, path, pricer)
      if (result === null || !result.ok) {
        reject(index, 'span', invalid ?? (result as { errors: FieldError[] } | null)?.errors ?? [])
        continue
      }
      warn(index, 'span', result.warnings)
      spans.push(result.value)
    }
    for (const [index, raw] of rawScores.entries()) {
      const path = `scores[${index}]`
      const invalid = validateScore(raw, path)
      const result = invalid ? null : normaliseScore(raw as Score, path, receivedMs)
      if (result === null || !result.ok) {
        reject(index, 'score', invalid ?? (result as { errors: FieldError[] } | null)?.errors ?? [])
        continue
      }
      warn(index, 'score', result.warnings)
      scores.push(result.value)
    }

    const written = store.write(spans, scores)
    reply.accepted = spans.length + scores.length
    metrics.observe(written.newSpans)
    for (const span of written.newSpans) hub.publish('span', liveSpan(span))
    for (const score of written.newScores) hub.publish('score', score)

    if (reply.rejected.length > 0) {
      log.warn('rejected items', {
        rejected: reply.rejected.length,
        accepted: reply.accepted,
        first: reply.rejected[0]?.error,
      })
    }
    return reply
  }

  function ingest(body: unknown, receivedMs: number): IngestReply {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new IngestError(
        400,
        `body must be a JSON object with spans and/or scores (actual: ${kindOf(body)})`,
      )
    }
    const envelope = body as Record<string, unknown>
    if (!('spans' in envelope) && !('scores' in envelope)) {
      throw new IngestError(
        400,
        'body has neither spans nor scores; send {"spans": [...]} and/or {"scores": [...]}',
      )
    }
    const rawSpans = items(envelope, 'spans', LIMITS.spansPerRequestMax)
    const rawScores = items(envelope, 'scores', LIMITS.scoresPerRequestMax)
    return process(rawSpans, rawScores, receivedMs)
  }

  return Object.assign(ingest, {
    spans: (spans: readonly unknown[], receivedMs: number) => process(spans, [], receivedMs),
    llmMetrics: metrics,
  })
}

/** What live clients get: the span without its prompt and completion, which lists never show. */
function liveSpan(span: NewSpan) {
  const { inputJson: _input, outputJson: _output, ...rest } = span
  return { ...rest, input: null, output: null }
}
