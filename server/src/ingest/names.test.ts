import { describe, expect, test } from 'bun:test'
import { modelFamily, normaliseModel, normaliseProvider } from './names.ts'

describe('normaliseProvider', () => {
  const spellings: readonly [string, string][] = [
    ['openai', 'openai'],
    ['OpenAI', 'openai'],
    [' openai ', 'openai'],
    ['azure_openai', 'azure'],
    ['az.ai.openai', 'azure'],
    ['azure.ai.openai', 'azure'],
    ['azure.ai.inference', 'azure'],
    ['aws.bedrock', 'aws_bedrock'],
    ['bedrock', 'aws_bedrock'],
    ['aws', 'aws_bedrock'],
    ['gcp.vertex_ai', 'google_vertex'],
    ['vertex_ai', 'google_vertex'],
    ['vertexai', 'google_vertex'],
    ['gcp.gemini', 'google'],
    ['gcp.gen_ai', 'google'],
    ['gemini', 'google'],
    ['google_genai', 'google'],
    ['google', 'google'],
    ['anthropic', 'anthropic'],
    ['mistral_ai', 'mistral'],
    ['mistralai', 'mistral'],
    ['cohere', 'cohere'],
    ['groq', 'groq'],
    ['deepseek', 'deepseek'],
    ['xai', 'x-ai'],
    ['x_ai', 'x-ai'],
    ['perplexity', 'perplexity'],
    ['ollama', 'ollama'],
    ['vllm', 'vllm'],
    ['ibm.watsonx.ai', 'ibm_watsonx'],
    ['moonshot_ai', 'moonshotai'],
    ['together_ai', 'together'],
    ['hugging_face', 'huggingface'],
    // Vercel AI SDK provider names carry the API after a dot.
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['google.vertex.chat', 'google_vertex'],
    ['google.generative-ai', 'google'],
  ]

  for (const [raw, expected] of spellings) {
    test(`${JSON.stringify(raw)} is ${expected}`, () => {
      expect(normaliseProvider(raw, 'some-model')).toBe(expected)
    })
  }

  test('an unknown provider keeps its name, trimmed and in lower case', () => {
    expect(normaliseProvider('  My-Gateway ', 'gpt-4o')).toBe('my-gateway')
    expect(normaliseProvider('acme.internal', null)).toBe('acme.internal')
  })

  test('the name of a key on every object is still just an unknown provider', () => {
    expect(normaliseProvider('constructor', null)).toBe('constructor')
    expect(normaliseModel('constructor/gpt-4o')).toBe('constructor/gpt-4o')
  })

  const models: readonly [string, string | null][] = [
    ['gpt-4o-mini', 'openai'],
    ['o1', 'openai'],
    ['o3-mini', 'openai'],
    ['o4-mini-2025-04-16', 'openai'],
    ['text-embedding-3-small', 'openai'],
    ['chatgpt-4o-latest', 'openai'],
    ['claude-sonnet-4-20250514', 'anthropic'],
    ['us.anthropic.claude-3-5-sonnet-20241022-v2:0', 'anthropic'],
    ['gemini-2.5-pro', 'google'],
    ['models/gemini-2.0-flash', 'google'],
    ['text-embedding-004', 'google'],
    ['mistral-large-2411', 'mistral'],
    ['mixtral-8x7b-32768', 'mistral'],
    ['codestral-latest', 'mistral'],
    ['command-r-plus', 'cohere'],
    ['grok-3', 'x-ai'],
    ['deepseek-chat', 'deepseek'],
    ['GPT-4o', 'openai'],
    ['openai/gpt-4o', 'openai'],
    ['openrouter/anthropic/claude-3.5-sonnet', 'openrouter'],
    ['llama-3.1-8b-instruct', null],
    ['o10-preview', null],
    ['omni', null],
  ]

  for (const [model, expected] of models) {
    test(`a missing provider is inferred from ${model} as ${expected}`, () => {
      expect(normaliseProvider(null, model)).toBe(expected)
      expect(normaliseProvider(undefined, model)).toBe(expected)
      expect(normaliseProvider('  ', model)).toBe(expected)
    })
  }

  test('frameworks and "_OTHER" name no provider, so the model decides', () => {
    expect(normaliseProvider('langchain', 'claude-3-opus-20240229')).toBe('anthropic')
    expect(normaliseProvider('crewai', 'gpt-4o')).toBe('openai')
    expect(normaliseProvider('_OTHER', 'grok-2')).toBe('x-ai')
  })

  test('no provider and no model is no provider', () => {
    expect(normaliseProvider(null, null)).toBeNull()
    expect(normaliseProvider('', null)).toBeNull()
  })
})

describe('normaliseModel', () => {
  const cases: readonly [string | null | undefined, string | null][] = [
    ['gpt-4o', 'gpt-4o'],
    ['  GPT-4o-Mini ', 'gpt-4o-mini'],
    ['openai/gpt-4o', 'gpt-4o'],
    ['anthropic/claude-3.5-sonnet', 'claude-3.5-sonnet'],
    ['openrouter/anthropic/claude-3.5-sonnet', 'claude-3.5-sonnet'],
    ['together_ai/meta-llama/Llama-3-70b-chat-hf', 'meta-llama/llama-3-70b-chat-hf'],
    ['meta-llama/llama-3.1-8b-instruct', 'meta-llama/llama-3.1-8b-instruct'],
    [
      'accounts/fireworks/models/llama-v3p1-8b-instruct',
      'accounts/fireworks/models/llama-v3p1-8b-instruct',
    ],
    ['models/gemini-2.0-flash', 'gemini-2.0-flash'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini-2024-07-18'],
    ['llama3.1:8b', 'llama3.1:8b'],
    ['openai/', 'openai/'],
    ['', null],
    ['   ', null],
    [null, null],
    [undefined, null],
  ]

  for (const [raw, expected] of cases) {
    test(`${JSON.stringify(raw)} is ${JSON.stringify(expected)}`, () => {
      expect(normaliseModel(raw)).toBe(expected)
    })
  }
})

describe('modelFamily', () => {
  const dated: readonly [string, string][] = [
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4.1-2025-04-14', 'gpt-4.1'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['o1-preview-2024-09-12', 'o1-preview'],
    ['gpt-4o-realtime-preview-2024-12-17', 'gpt-4o-realtime-preview'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-5-haiku@20241022', 'claude-3-5-haiku'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet-v2'],
    ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-3-5-sonnet'],
    ['gpt-4-0613', 'gpt-4'],
    ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
    ['gpt-3.5-turbo-16k-0613', 'gpt-3.5-turbo-16k'],
    ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
    ['gemini-1.5-pro-002', 'gemini-1.5-pro'],
    ['gemini-2.5-flash-preview-04-17', 'gemini-2.5-flash-preview'],
    ['claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['mistral-large-latest', 'mistral-large'],
    ['llama3:latest', 'llama3'],
    ['mistral-large-2411', 'mistral-large'],
    ['codestral-2501', 'codestral'],
    ['mistral-small-3.1-24b-instruct-2503', 'mistral-small-3.1-24b-instruct'],
    ['command-r-plus-08-2024', 'command-r-plus'],
    ['grok-2-1212', 'grok-2'],
    ['deepseek-chat-v3-0324', 'deepseek-chat-v3'],
  ]

  for (const [model, family] of dated) {
    test(`${model} belongs to ${family}`, () => {
      expect(modelFamily(model)).toBe(family)
    })
  }

  const undated = [
    'gpt-4o',
    'gpt-4o-mini',
    'o1',
    'o3-mini',
    'gpt-3.5-turbo-16k',
    'gpt-4-1106-preview',
    'llama-3.1-8b-instruct',
    'llama-3.1-405b',
    'llama3-70b-8192',
    'mixtral-8x7b-32768',
    'text-embedding-3-small',
    'text-embedding-004',
    'chat-bison-001',
    'davinci-002',
    'gemini-1.5-flash-8b',
    'gemini-2.0-flash-exp',
    'claude-2.1',
    'llama3.1:8b',
    'embed-english-v3.0',
  ]

  for (const model of undated) {
    test(`${model} is its own family`, () => {
      expect(modelFamily(model)).toBe(model)
    })
  }
})
