/**
 * The simulated application: a support site with chat, search, summaries and an agent. The
 * numbers are shaped like public measurements of these models, not copied from any one source.
 */

export type DemoProvider = 'openai' | 'anthropic' | 'vllm'

export interface ModelProfile {
  provider: DemoProvider
  kind: 'llm' | 'embedding'
  /** Median and p95 time to the first token (the whole call for embeddings). */
  ttftMs: { median: number; p95: number }
  /** Generation speed once tokens flow. */
  msPerOutputToken: number
  /** Share of calls that fail, before any spike. */
  errorRate: number
  contextWindowTokens: number
  reasoning?: boolean
}

export const MODELS = {
  'gpt-4o-mini': {
    provider: 'openai',
    kind: 'llm',
    ttftMs: { median: 320, p95: 900 },
    msPerOutputToken: 11,
    errorRate: 0.012,
    contextWindowTokens: 128_000,
  },
  'gpt-4o': {
    provider: 'openai',
    kind: 'llm',
    ttftMs: { median: 480, p95: 1400 },
    msPerOutputToken: 19,
    errorRate: 0.012,
    contextWindowTokens: 128_000,
  },
  'o3-mini': {
    provider: 'openai',
    kind: 'llm',
    ttftMs: { median: 2600, p95: 8000 },
    msPerOutputToken: 9,
    errorRate: 0.015,
    contextWindowTokens: 200_000,
    reasoning: true,
  },
  'claude-sonnet-4': {
    provider: 'anthropic',
    kind: 'llm',
    ttftMs: { median: 750, p95: 2100 },
    msPerOutputToken: 21,
    errorRate: 0.018,
    contextWindowTokens: 200_000,
  },
  'claude-3-5-haiku': {
    provider: 'anthropic',
    kind: 'llm',
    ttftMs: { median: 380, p95: 1000 },
    msPerOutputToken: 10,
    errorRate: 0.012,
    contextWindowTokens: 200_000,
  },
  'text-embedding-3-small': {
    provider: 'openai',
    kind: 'embedding',
    ttftMs: { median: 90, p95: 260 },
    msPerOutputToken: 0,
    errorRate: 0.004,
    contextWindowTokens: 8191,
  },
  // Self-hosted behind vLLM: no public price, so its cost stays unknown on purpose.
  'llama-3.1-8b-instruct': {
    provider: 'vllm',
    kind: 'llm',
    ttftMs: { median: 110, p95: 350 },
    msPerOutputToken: 6,
    errorRate: 0.02,
    contextWindowTokens: 131_072,
  },
} as const satisfies Record<string, ModelProfile>

export type DemoModel = keyof typeof MODELS

export const APP_ENDPOINTS = {
  '/api/chat': 0.45,
  '/api/search': 0.25,
  '/api/summarize': 0.15,
  '/api/agent': 0.15,
} as const
export type AppEndpoint = keyof typeof APP_ENDPOINTS

/** The release before and after the rollout; staging runs the new one from the start. */
export const RELEASES = { previous: '2026.11.3', current: '2026.12.1' } as const

// Share of the window after which production switches to the current release.
export const ROLLOUT_AT_FRACTION = 0.55

export const USERS_COUNT = 150
// A session ends after 30 idle minutes, the usual web analytics convention.
export const SESSION_MS = 30 * 60 * 1000
export const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const

export const CHAT_PROMPTS = [
  'How do I reset my password?',
  'Can I change the email on my account?',
  'Why was I charged twice this month?',
  'What is your refund policy for annual plans?',
  'How do I export my data as CSV?',
  'Does the API support pagination?',
  'My invoice shows the wrong company name.',
  'How can I add a teammate to my workspace?',
] as const

export const SEARCH_QUERIES = [
  'rate limits per plan',
  'webhook retry schedule',
  'single sign-on setup',
  'delete workspace permanently',
  'api key rotation',
  'data retention period',
] as const

export const DOCUMENTS = [
  'Q3 board update',
  'Incident review: EU outage',
  'Customer interview notes',
  'Security questionnaire',
  'Onboarding runbook',
] as const

export const AGENT_TOOLS = ['lookup_order', 'search_kb', 'issue_refund', 'check_status'] as const

export const FEEDBACK_COMMENTS = [
  'Answered my question right away.',
  'Missed the point of my question.',
  'Too long.',
  'Linked the right doc.',
  'Wrong order number.',
] as const
