import { LIMITS, type Usage } from '@llmlens/spec'
import type { Attributes } from '../model.ts'
import { count } from './read.ts'

/**
 * Token counts under each dialect's names, first name first (wire-standards §8). Input tokens
 * include cached ones in OTel GenAI, OpenInference and llmlens alike; reasoning tokens are part of
 * output tokens.
 */
export const USAGE_KEYS = {
  inputTokens: [
    'gen_ai.usage.input_tokens',
    'gen_ai.usage.prompt_tokens',
    'llm.token_count.prompt',
    'ai.usage.inputTokens',
    'ai.usage.promptTokens',
    'ai.usage.tokens',
  ],
  outputTokens: [
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.completion_tokens',
    'llm.token_count.completion',
    'ai.usage.outputTokens',
    'ai.usage.completionTokens',
  ],
  cacheReadTokens: [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
    'llm.token_count.prompt_details.cache_read',
    'ai.usage.cachedInputTokens',
  ],
  cacheWriteTokens: [
    'gen_ai.usage.cache_creation.input_tokens',
    'gen_ai.usage.cache_creation_input_tokens',
    'llm.token_count.prompt_details.cache_write',
  ],
  reasoningTokens: [
    'gen_ai.usage.reasoning.output_tokens',
    'gen_ai.usage.reasoning_tokens',
    'llm.usage.reasoning_tokens',
    'llm.token_count.completion_details.reasoning',
    'ai.usage.reasoningTokens',
  ],
} as const

function tokens(attributes: Attributes, keys: readonly string[]): number | null {
  const value = count(attributes, ...keys)
  return value !== null && value <= LIMITS.tokensMax ? value : null
}

/** A span's usage, or null when it reports no tokens at all. */
export function usageOf(attributes: Attributes): Usage | null {
  const usage = {
    inputTokens: tokens(attributes, USAGE_KEYS.inputTokens),
    outputTokens: tokens(attributes, USAGE_KEYS.outputTokens),
    cacheReadTokens: tokens(attributes, USAGE_KEYS.cacheReadTokens),
    cacheWriteTokens: tokens(attributes, USAGE_KEYS.cacheWriteTokens),
    reasoningTokens: tokens(attributes, USAGE_KEYS.reasoningTokens),
  }
  if (Object.values(usage).every((value) => value === null)) return null

  // Anthropic reports input without its cache reads and writes, and instrumentations that copy
  // its usage through do the same. Input smaller than its own cached part can only mean that, so
  // the cached tokens are added back to make input inclusive, as the contract defines it.
  const cached = (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0)
  if (usage.inputTokens !== null && usage.inputTokens < cached) {
    usage.inputTokens = Math.min(usage.inputTokens + cached, LIMITS.tokensMax)
  }
  return usage
}
