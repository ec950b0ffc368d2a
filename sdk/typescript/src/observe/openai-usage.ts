import type { Usage } from '../types.ts'
import { count, record } from './json.ts'

/**
 * OpenAI usage in the contract's terms. Chat completions name the counts `prompt_tokens` and
 * `completion_tokens`, the Responses API `input_tokens` and `output_tokens`; in both the input
 * count already includes cached tokens and the output count includes reasoning tokens, as the
 * contract wants. A count the API did not send stays absent rather than becoming zero.
 */
export function openaiUsage(value: unknown): Usage | null {
  const usage = record(value)
  if (usage === undefined) return null
  const inputDetails = record(usage.prompt_tokens_details) ?? record(usage.input_tokens_details)
  const outputDetails =
    record(usage.completion_tokens_details) ?? record(usage.output_tokens_details)
  const out: Usage = {
    inputTokens: count(usage.prompt_tokens) ?? count(usage.input_tokens) ?? null,
    outputTokens: count(usage.completion_tokens) ?? count(usage.output_tokens) ?? null,
  }
  const cached = count(inputDetails?.cached_tokens)
  if (cached !== undefined) out.cacheReadTokens = cached
  const reasoning = count(outputDetails?.reasoning_tokens)
  if (reasoning !== undefined) out.reasoningTokens = reasoning
  return out
}
