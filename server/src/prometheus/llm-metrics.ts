import type { StoredSpan } from '@llmlens/spec'
import { Counter, Histogram, Registry } from 'prom-client'

/**
 * The gen_ai histogram bucket boundaries of the OTel GenAI metrics conventions, so that panels
 * built for `gen_ai.client.operation.duration` and `gen_ai.client.token.usage` read ours too.
 */
export const DURATION_BUCKETS_SECONDS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]

/** Model pairs beyond the series limit are counted under this model name. */
export const OTHER_MODEL = '_other'

const MODEL_CALL_KINDS = new Set(['llm', 'embedding'])

export interface LlmMetricsOptions {
  /** Distinct (provider, model) pairs kept apart; see OTLP_LIMITS.prometheusSeriesMax. */
  seriesMax: number
}

/**
 * llmlens's own metrics of the LLM calls it has stored since it started, for Prometheus to
 * scrape at GET /metrics: calls, errors by category, duration, time to first token, tokens and
 * cost, each by provider and model. Counted once per stored span, so a resent span never counts
 * twice. Only model calls (llm, embedding) are counted; tool and agent steps are not calls.
 */
export class LlmMetrics {
  readonly registry = new Registry()
  private readonly seriesMax: number
  private readonly series = new Set<string>()
  private readonly requests: Counter<'provider' | 'model'>
  private readonly errors: Counter<'provider' | 'model' | 'error_type'>
  private readonly cost: Counter<'provider' | 'model'>
  private readonly tokens: Counter<'provider' | 'model' | 'token_type'>
  private readonly duration: Histogram<'provider' | 'model'>
  private readonly ttft: Histogram<'provider' | 'model'>
  private readonly tokenUsage: Histogram<'provider' | 'model' | 'token_type'>

  constructor(options: LlmMetricsOptions) {
    if (!(options.seriesMax > 0)) throw new Error('LlmMetrics: seriesMax must be > 0')
    this.seriesMax = options.seriesMax
    const registers = [this.registry]
    const pair = ['provider', 'model'] as const
    this.requests = new Counter({
      name: 'llmlens_llm_requests_total',
      help: 'LLM and embedding calls stored, by provider and model',
      labelNames: pair,
      registers,
    })
    this.errors = new Counter({
      name: 'llmlens_llm_errors_total',
      help: 'Failed LLM and embedding calls, by provider, model and error category',
      labelNames: [...pair, 'error_type'],
      registers,
    })
    this.cost = new Counter({
      name: 'llmlens_llm_cost_usd_total',
      help: 'Cost of the calls in US dollars, as given by the caller or estimated from prices',
      labelNames: pair,
      registers,
    })
    this.tokens = new Counter({
      name: 'llmlens_llm_tokens_total',
      help: 'Tokens used, by provider, model and token type (input, output)',
      labelNames: [...pair, 'token_type'],
      registers,
    })
    this.duration = new Histogram({
      name: 'llmlens_gen_ai_client_operation_duration_seconds',
      help: 'Duration of LLM and embedding calls (gen_ai.client.operation.duration buckets)',
      labelNames: pair,
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    })
    this.ttft = new Histogram({
      name: 'llmlens_gen_ai_client_time_to_first_token_seconds',
      help: 'Time to the first streamed token, for calls that report it',
      labelNames: pair,
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    })
    this.tokenUsage = new Histogram({
      name: 'llmlens_gen_ai_client_token_usage',
      help: 'Tokens per call by token type (gen_ai.client.token.usage buckets)',
      labelNames: [...pair, 'token_type'],
      buckets: TOKEN_BUCKETS,
      registers,
    })
  }

  get contentType(): string {
    return this.registry.contentType
  }

  /** The Prometheus text exposition. */
  exposition(): Promise<string> {
    return this.registry.metrics()
  }

  /** Counts newly stored spans; the model calls among them, that is. */
  observe(spans: readonly StoredSpan[]): void {
    for (const span of spans) {
      if (MODEL_CALL_KINDS.has(span.kind)) this.observeCall(span)
    }
  }

  private labels(span: StoredSpan): { provider: string; model: string } {
    const provider = span.provider ?? ''
    const model = span.model ?? ''
    const key = `${provider}\u0000${model}`
    if (this.series.has(key)) return { provider, model }
    if (this.series.size < this.seriesMax) {
      this.series.add(key)
      return { provider, model }
    }
    return { provider, model: OTHER_MODEL }
  }

  private observeCall(span: StoredSpan): void {
    const labels = this.labels(span)
    this.requests.inc(labels)
    this.duration.observe(labels, span.durationMs / 1000)
    if (span.status === 'error') {
      this.errors.inc({ ...labels, error_type: span.error?.type ?? 'unknown' })
    }
    if (span.costUsd !== null && span.costUsd > 0) this.cost.inc(labels, span.costUsd)
    if (span.timeToFirstTokenMs !== null) this.ttft.observe(labels, span.timeToFirstTokenMs / 1000)
    for (const [tokenType, value] of [
      ['input', span.usage.inputTokens],
      ['output', span.usage.outputTokens],
    ] as const) {
      if (value === null) continue
      this.tokens.inc({ ...labels, token_type: tokenType }, value)
      this.tokenUsage.observe({ ...labels, token_type: tokenType }, value)
    }
  }
}
