import type { ApiError } from './errors.ts'
import type { JsonRecord } from './json.ts'
import type { LatencyPlan } from './latency.ts'
import type { ProviderApi, ResolvedModel } from './options.ts'
import type { CacheOutcome, CachePrefix } from './prompt-cache.ts'
import type { Random } from './random.ts'
import type { StreamEvent } from './sse.ts'

/** What every endpoint learns from a valid request body before the call is decided. */
export interface ParsedCall {
  model: string
  stream: boolean
  /** Input tokens as the API reports them in usage. */
  promptTokens: number
  /** Tokens checked against the model's context window (the largest input, for embeddings). */
  contextTokens: number
  cachePrefix: CachePrefix | null
}

/** Everything decided about a call that succeeds. */
export interface CallContext {
  model: ResolvedModel
  plan: LatencyPlan
  /** Draws for ids only, so they never shift latency or error draws. */
  random: Random
  createdSec: number
  cache: CacheOutcome
  embeddingDimensions: number
}

export type Reply = { kind: 'json'; body: unknown } | { kind: 'stream'; events: StreamEvent[] }

/** One `POST` route: how to read its request and how to answer it. */
export interface Endpoint<Call extends ParsedCall> {
  api: ProviderApi
  /** OpenAI reports cache hits in steps of 128 tokens, Anthropic exactly. */
  cacheGranularityTokens: number
  parse(body: JsonRecord): Call | ApiError
  reply(call: Call, context: CallContext): Reply
}
