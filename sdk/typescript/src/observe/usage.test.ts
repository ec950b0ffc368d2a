import assert from 'node:assert/strict'
import { test } from 'node:test'
import { anthropicUsage } from './anthropic-messages.ts'
import { openaiUsage } from './openai-usage.ts'

test('OpenAI: input includes cached tokens and output includes reasoning, as sent', () => {
  const chat = {
    prompt_tokens: 2000,
    completion_tokens: 1000,
    prompt_tokens_details: { cached_tokens: 1000 },
    completion_tokens_details: { reasoning_tokens: 600 },
  }
  assert.deepEqual(openaiUsage(chat), {
    inputTokens: 2000,
    outputTokens: 1000,
    cacheReadTokens: 1000,
    reasoningTokens: 600,
  })
  const responses = {
    input_tokens: 50,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 70,
    output_tokens_details: { reasoning_tokens: 64 },
  }
  assert.deepEqual(openaiUsage(responses), {
    inputTokens: 50,
    outputTokens: 70,
    cacheReadTokens: 0,
    reasoningTokens: 64,
  })
  assert.deepEqual(openaiUsage({ prompt_tokens: 5, completion_tokens: 1 }), {
    inputTokens: 5,
    outputTokens: 1,
  })
  assert.equal(openaiUsage(null), null)
})

test('Anthropic: cache reads and writes are added to input_tokens', () => {
  const usage = {
    input_tokens: 20,
    cache_read_input_tokens: 1000,
    cache_creation_input_tokens: 300,
    output_tokens: 9,
  }
  assert.deepEqual(anthropicUsage(usage), {
    inputTokens: 1320,
    outputTokens: 9,
    cacheReadTokens: 1000,
    cacheWriteTokens: 300,
  })
  assert.deepEqual(anthropicUsage({ input_tokens: 3, output_tokens: 4 }), {
    inputTokens: 3,
    outputTokens: 4,
  })
})
