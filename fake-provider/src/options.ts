import type { FakeErrorKind } from './errors.ts'

/** Which public API a model belongs to; decides its listing in `GET /v1/models`. */
export type ProviderApi = 'openai' | 'anthropic'

/** A lognormal latency distribution, given by its median and 95th percentile. */
export interface LatencyProfile {
  medianMs: number
  p95Ms: number
}

/** How one model behaves. Every field is optional; see `createFakeProvider` for defaults. */
export interface FakeModelOptions {
  /** Inferred from the name when absent: `claude*` is Anthropic, everything else OpenAI. */
  provider?: ProviderApi
  /** The id reported in `model` of each response, e.g. a dated snapshot id. */
  respondAs?: string
  /** Inferred from the name when absent: names containing `embedding` are embedding models. */
  kind?: 'chat' | 'embedding'
  /** `owned_by` in the OpenAI model listing. */
  ownedBy?: string
  /** Whole-call duration of a non-streamed call, and of a stream from request to last chunk. */
  latency?: LatencyProfile
  /** Median time to the first streamed token; it shares the spread of `latency`. */
  ttftMs?: number
  /** Fixed pause between streamed chunks; by default the rest of the sampled latency is spread. */
  chunkDelayMs?: number
  /** Share of calls, 0..1, answered with an injected error drawn from `errorMix`. */
  errorRate?: number
  /** Relative weights of the injected error kinds. */
  errorMix?: Partial<Record<FakeErrorKind, number>>
  /** Reasoning models report `reasoning_tokens` and spend part of the output budget on them. */
  reasoning?: boolean
  /** A prompt larger than this is refused as a context-length error, as the real APIs do. */
  contextWindowTokens?: number
}

/** A latency multiplier for one model (or all), inside a time window or for a share of calls. */
export interface LatencySpike {
  /** The model name as requested; all models when absent. */
  model?: string
  multiplier: number
  /** Epoch ms when the spike begins; it is active from the start when absent. */
  startMs?: number
  /** How long the spike lasts; forever when absent. */
  durationMs?: number
  /** Share of calls in the window that are slowed, 0..1; all when absent. */
  fraction?: number
}

export interface FakeProviderOptions {
  /** Models by requested name, merged field by field over the built-in catalog. */
  models?: Record<string, FakeModelOptions>
  /** Applied under every model, and alone to names that are neither configured nor built in. */
  defaults?: FakeModelOptions
  /** `none` (default) answers at once; `realistic` gives built-in models plausible delays. */
  latency?: 'none' | 'realistic'
  /** Seed of every random draw (latency jitter, injected errors, ids). Default 1. */
  seed?: number
  spikes?: LatencySpike[]
  /** Length of embedding vectors when the request gives no `dimensions`. Default 8. */
  embeddingDimensions?: number
  /** When set, requests must carry one of these keys; others get 401. */
  apiKeys?: string[]
  /** Sent in `retry-after-ms` (and rounded up in `retry-after`) with every 429. Default 1000. */
  retryAfterMs?: number
  /** How long an injected timeout holds the request before answering 504. Default 30000. */
  timeoutHoldMs?: number
  /** Clock in epoch ms, for spikes and `created` fields. Default `Date.now`. */
  now?: () => number
}

/** A model with every behaviour decided. */
export interface ResolvedModel {
  name: string
  provider: ProviderApi
  respondAs: string
  kind: 'chat' | 'embedding'
  ownedBy: string
  latency: LatencyProfile
  ttftMs: number
  chunkDelayMs: number | null
  errorRate: number
  errorMix: Partial<Record<FakeErrorKind, number>>
  reasoning: boolean
  contextWindowTokens: number
}

export interface ResolvedOptions {
  models: Map<string, ResolvedModel>
  defaults: FakeModelOptions
  seed: number
  spikes: LatencySpike[]
  embeddingDimensions: number
  apiKeys: Set<string> | null
  retryAfterMs: number
  timeoutHoldMs: number
  now: () => number
}
