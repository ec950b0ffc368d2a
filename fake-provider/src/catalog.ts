import type { FakeModelOptions } from './options.ts'

interface CatalogEntry {
  options: FakeModelOptions
  /** Used only with `latency: 'realistic'`: the shape of public measurements, not exact values. */
  realistic: Pick<FakeModelOptions, 'latency' | 'ttftMs'>
}

/** Models every instance knows, with the dated ids the real APIs report for them. */
export const CATALOG: Record<string, CatalogEntry> = {
  'gpt-4o-mini': {
    options: {
      provider: 'openai',
      respondAs: 'gpt-4o-mini-2024-07-18',
      contextWindowTokens: 128000,
    },
    realistic: { latency: { medianMs: 900, p95Ms: 2200 }, ttftMs: 350 },
  },
  'gpt-4o': {
    options: { provider: 'openai', respondAs: 'gpt-4o-2024-08-06', contextWindowTokens: 128000 },
    realistic: { latency: { medianMs: 1600, p95Ms: 4000 }, ttftMs: 500 },
  },
  'gpt-4.1-mini': {
    options: {
      provider: 'openai',
      respondAs: 'gpt-4.1-mini-2025-04-14',
      contextWindowTokens: 1047576,
    },
    realistic: { latency: { medianMs: 800, p95Ms: 2000 }, ttftMs: 300 },
  },
  'o3-mini': {
    options: {
      provider: 'openai',
      respondAs: 'o3-mini-2025-01-31',
      reasoning: true,
      contextWindowTokens: 200000,
    },
    realistic: { latency: { medianMs: 5000, p95Ms: 14000 }, ttftMs: 3000 },
  },
  'text-embedding-3-small': {
    options: { provider: 'openai', kind: 'embedding', contextWindowTokens: 8191 },
    realistic: { latency: { medianMs: 120, p95Ms: 350 } },
  },
  'text-embedding-3-large': {
    options: { provider: 'openai', kind: 'embedding', contextWindowTokens: 8191 },
    realistic: { latency: { medianMs: 180, p95Ms: 500 } },
  },
  'claude-sonnet-4': {
    options: {
      provider: 'anthropic',
      respondAs: 'claude-sonnet-4-20250514',
      contextWindowTokens: 200000,
    },
    realistic: { latency: { medianMs: 2200, p95Ms: 5500 }, ttftMs: 800 },
  },
  'claude-opus-4': {
    options: {
      provider: 'anthropic',
      respondAs: 'claude-opus-4-20250514',
      contextWindowTokens: 200000,
    },
    realistic: { latency: { medianMs: 3500, p95Ms: 9000 }, ttftMs: 1200 },
  },
  'claude-3-5-haiku': {
    options: {
      provider: 'anthropic',
      respondAs: 'claude-3-5-haiku-20241022',
      contextWindowTokens: 200000,
    },
    realistic: { latency: { medianMs: 900, p95Ms: 2200 }, ttftMs: 400 },
  },
  // A self-hosted model behind vLLM's OpenAI-compatible server: no public price exists for it.
  'llama-3.1-8b-instruct': {
    options: { provider: 'openai', ownedBy: 'vllm', contextWindowTokens: 131072 },
    realistic: { latency: { medianMs: 450, p95Ms: 1200 }, ttftMs: 120 },
  },
}
