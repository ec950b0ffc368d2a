import type { ErrorCategory } from '../../spec/src/enums.ts'
import { chance, logNormal, pick, pickWeighted, type Random } from './random.ts'
import { type DemoModel, type DemoProvider, MODELS } from './scenario.ts'
import type { SpikeWindow, TraceBuilder } from './trace-builder.ts'
import type { WireSpan, WireUsage } from './wire.ts'

/** The error categories the demo produces; the traffic test checks every one appears. */
export const DEMO_ERROR_CATEGORIES = [
  'rate_limit',
  'server_error',
  'timeout',
  'context_length',
] as const satisfies readonly ErrorCategory[]
export type DemoErrorCategory = (typeof DEMO_ERROR_CATEGORIES)[number]

const ERROR_MIX: Record<DemoErrorCategory, number> = {
  rate_limit: 0.42,
  server_error: 0.28,
  timeout: 0.15,
  context_length: 0.15,
}

// The application gives up on a provider call after 30 s, a common SDK-level setting.
export const CLIENT_TIMEOUT_MS = 30_000
// A slow model also times out more: this much extra timeout probability inside a spike.
const SPIKE_TIMEOUT_RATE = 0.05

/** One provider call the simulated application makes. */
export interface ModelCallPlan {
  model: DemoModel
  parentSpanId: string | null
  startMs: number
  inputTokens: number
  outputTokens: number
  stream: boolean
  endsWithToolCall: boolean
  /** The prompt starts with a long stable prefix that the provider can cache. */
  cacheablePrefix: boolean
  messages: Array<{ role: string; content: string }>
  answer: string
  metadata?: Record<string, string | number | boolean>
}

/** The spike multiplier for a model at a time: the spike's, inside its window, else 1. */
export function spikeFactor(spike: SpikeWindow | null, model: DemoModel, timeMs: number): number {
  if (spike === null || spike.model !== model) return 1
  const inside = timeMs >= spike.startMs && timeMs < spike.startMs + spike.durationMs
  return inside ? spike.multiplier : 1
}

/** Adds the span of one LLM or embedding call, with timing, usage and maybe an error. */
export function addModelCallSpan(builder: TraceBuilder, plan: ModelCallPlan): WireSpan {
  const { random, context } = builder
  const profile = MODELS[plan.model]
  const factor = spikeFactor(context.spike, plan.model, plan.startMs)
  const failure = drawFailure(random, plan, factor)
  const isEmbedding = profile.kind === 'embedding'

  const base = {
    name: `${isEmbedding ? 'embed' : 'chat'} ${plan.model}`,
    kind: isEmbedding ? ('embedding' as const) : ('llm' as const),
    parentSpanId: plan.parentSpanId,
    startTime: plan.startMs,
    provider: profile.provider,
    model: plan.model,
    input: plan.messages,
    metadata: { stream: plan.stream, ...plan.metadata },
  }
  if (failure !== null) {
    return builder.add({
      ...base,
      endTime: plan.startMs + failure.durationMs,
      status: 'error',
      error: failure.error,
    })
  }

  const ttftMs = logNormal(random, profile.ttftMs.median, profile.ttftMs.p95) * factor
  const generationMs =
    plan.outputTokens * profile.msPerOutputToken * logNormal(random, 1, 1.5) * factor
  const truncated = !plan.endsWithToolCall && chance(random, 0.02)
  return builder.add({
    ...base,
    endTime: plan.startMs + ttftMs + generationMs,
    usage: isEmbedding ? embeddingUsage(plan) : llmUsage(random, plan),
    timeToFirstTokenMs: plan.stream ? Math.round(ttftMs) : null,
    finishReason: isEmbedding ? null : finishReason(profile.provider, plan, truncated),
    output: isEmbedding ? null : { role: 'assistant', content: plan.answer },
  })
}

function llmUsage(random: Random, plan: ModelCallPlan): WireUsage {
  const profile = MODELS[plan.model]
  const reasoningTokens = 'reasoning' in profile ? Math.round(logNormal(random, 600, 2500)) : 0
  const usage: WireUsage = {
    inputTokens: plan.inputTokens,
    outputTokens: plan.outputTokens + reasoningTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens,
  }
  // OpenAI caches prompts of 1024+ tokens on its own, in 128-token steps; Anthropic caches
  // the prefix marked by the app, and writes it when the cache was cold (about 1 call in 10).
  if (profile.provider === 'openai' && plan.inputTokens >= 1024 && chance(random, 0.5)) {
    usage.cacheReadTokens = Math.floor((plan.inputTokens * 0.6) / 128) * 128
  }
  if (profile.provider === 'anthropic' && plan.cacheablePrefix) {
    const prefixTokens = Math.floor(plan.inputTokens * 0.7)
    if (chance(random, 0.1)) usage.cacheWriteTokens = prefixTokens
    else usage.cacheReadTokens = prefixTokens
  }
  return usage
}

function embeddingUsage(plan: ModelCallPlan): WireUsage {
  return {
    inputTokens: plan.inputTokens,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  }
}

function finishReason(provider: DemoProvider, plan: ModelCallPlan, truncated: boolean): string {
  if (provider === 'anthropic') {
    return plan.endsWithToolCall ? 'tool_use' : truncated ? 'max_tokens' : 'end_turn'
  }
  return plan.endsWithToolCall ? 'tool_calls' : truncated ? 'length' : 'stop'
}

interface Failure {
  error: NonNullable<WireSpan['error']>
  durationMs: number
}

function drawFailure(random: Random, plan: ModelCallPlan, factor: number): Failure | null {
  const profile = MODELS[plan.model]
  if (factor > 1 && chance(random, SPIKE_TIMEOUT_RATE)) return failureOf(random, plan, 'timeout')
  if (!chance(random, profile.errorRate)) return null
  return failureOf(random, plan, pickWeighted(random, ERROR_MIX))
}

/** A failure as the provider would report it: its status, its wording, its timing. */
export function failureOf(
  random: Random,
  plan: ModelCallPlan,
  category: DemoErrorCategory,
): Failure {
  const { provider, contextWindowTokens } = MODELS[plan.model]
  switch (category) {
    case 'rate_limit':
      return {
        error: {
          type: category,
          httpStatus: 429,
          message:
            provider === 'anthropic'
              ? 'This request would exceed the rate limit for your organization of 400,000 ' +
                'input tokens per minute.'
              : `Rate limit reached for ${plan.model} on tokens per min (TPM): Limit 200000.`,
        },
        durationMs: logNormal(random, 60, 250),
      }
    case 'server_error': {
      const overloaded = provider === 'anthropic' && chance(random, 0.6)
      return {
        error: {
          type: category,
          httpStatus: overloaded ? 529 : 500,
          message: overloaded
            ? 'Overloaded'
            : pick(random, [
                'The server had an error while processing your request.',
                'Internal server error',
              ]),
        },
        durationMs: logNormal(random, 800, 4000),
      }
    }
    case 'timeout':
      return {
        error: { type: category, message: `Request timed out after ${CLIENT_TIMEOUT_MS} ms.` },
        durationMs: CLIENT_TIMEOUT_MS + random() * 50,
      }
    case 'context_length': {
      const promptTokens = contextWindowTokens + Math.round(random() * 20_000) + 1
      return {
        error: {
          type: category,
          httpStatus: 400,
          message:
            provider === 'anthropic'
              ? `prompt is too long: ${promptTokens} tokens > ${contextWindowTokens} maximum`
              : `This model's maximum context length is ${contextWindowTokens} tokens. ` +
                `However, your messages resulted in ${promptTokens} tokens.`,
        },
        durationMs: logNormal(random, 120, 400),
      }
    }
  }
}
