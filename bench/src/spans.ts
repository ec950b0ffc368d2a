import type { Span } from '@llmlens/spec'

/** A seeded generator (mulberry32): every run sends the same spans, so runs compare. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

type Random = () => number

interface ModelProfile {
  provider: string
  model: string
  kind: 'llm' | 'embedding'
  /** Relative share of calls. */
  weight: number
  latencyMsMedian: number
  reasoning?: boolean
}

// Every model here is in the bundled price table, so the server prices each call it is sent.
const MODELS: readonly ModelProfile[] = [
  { provider: 'openai', model: 'gpt-4o-mini', kind: 'llm', weight: 30, latencyMsMedian: 700 },
  { provider: 'openai', model: 'gpt-4o', kind: 'llm', weight: 12, latencyMsMedian: 1400 },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-20250514',
    kind: 'llm',
    weight: 15,
    latencyMsMedian: 1800,
  },
  {
    provider: 'anthropic',
    model: 'claude-3-5-haiku-20241022',
    kind: 'llm',
    weight: 10,
    latencyMsMedian: 600,
  },
  { provider: 'google', model: 'gemini-2.0-flash', kind: 'llm', weight: 12, latencyMsMedian: 500 },
  { provider: 'google', model: 'gemini-2.5-pro', kind: 'llm', weight: 5, latencyMsMedian: 2500 },
  {
    provider: 'mistral',
    model: 'mistral-large-latest',
    kind: 'llm',
    weight: 4,
    latencyMsMedian: 1100,
  },
  {
    provider: 'openai',
    model: 'o3-mini',
    kind: 'llm',
    weight: 4,
    latencyMsMedian: 4000,
    reasoning: true,
  },
  {
    provider: 'openai',
    model: 'text-embedding-3-small',
    kind: 'embedding',
    weight: 8,
    latencyMsMedian: 120,
  },
]
const MODEL_WEIGHT_TOTAL = MODELS.reduce((sum, m) => sum + m.weight, 0)
const LLM_MODELS = MODELS.filter((m) => m.kind === 'llm')

const ENDPOINTS = ['/api/chat', '/api/summarise', '/api/search', '/api/classify', '/api/agent']
const FEATURES = ['chat', 'summaries', 'search', 'triage', 'assistant']
const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP']
const TIERS = ['free', 'pro', 'enterprise']
const TAGS = ['beta', 'mobile', 'web', 'retry', 'experiment-b', 'internal']
const RELEASES = ['2026.11.3', '2026.12.1']
const USERS = 500
const SESSIONS = 2_000

// Provider error types as instrumentations send them; the server maps each to a category.
const ERRORS = [
  { type: 'rate_limit_exceeded', message: 'Rate limit reached for requests', httpStatus: 429 },
  { type: 'timeout', message: 'Request timed out after 30000 ms', httpStatus: null },
  { type: 'overloaded_error', message: 'Overloaded', httpStatus: 529 },
  {
    type: 'context_length_exceeded',
    message: "This model's maximum context length is 128000 tokens",
    httpStatus: 400,
  },
  {
    type: 'server_error',
    message: 'The server had an error while processing your request',
    httpStatus: 500,
  },
]
const ERROR_SHARE = 0.02

// ASCII only: the body templates patch ids by byte offset and rely on one byte per character.
const WORDS = (
  'the a report customer order invoice summary please explain why how what when model answer ' +
  'data table shipping refund account error latency cost release feature request review draft ' +
  'email meeting notes policy contract clause risk quarter revenue growth churn support ticket ' +
  'priority issue product update search result document page section list reason step plan'
).split(' ')

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1))
}

function hex(random: Random, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16)
  return out
}

function text(random: Random, charsMin: number, charsMax: number): string {
  const target = between(random, charsMin, charsMax)
  let out = pick(random, WORDS)
  while (out.length < target) out += ` ${pick(random, WORDS)}`
  return `${out[0]?.toUpperCase()}${out.slice(1)}.`
}

function pickModel(random: Random): ModelProfile {
  let ticket = random() * MODEL_WEIGHT_TOTAL
  for (const model of MODELS) {
    ticket -= model.weight
    if (ticket < 0) return model
  }
  return MODELS[0] as ModelProfile
}

/** Log-normal around the median, so a few calls are several times slower, as in production. */
function latencyMs(random: Random, median: number): number {
  const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  return Math.max(20, Math.round(median * Math.exp(0.5 * gaussian)))
}

export interface SpanGeneratorOptions {
  seed: number
  /** Spans start within [startMs, startMs + spreadMs). */
  startMs: number
  spreadMs: number
  /**
   * 8 hex characters that begin every trace, span and parent id, so that a batch can be re-sent
   * under fresh ids by overwriting this segment (see bodies.ts).
   */
  idSegment: string
}

interface TraceContext {
  random: Random
  traceId: string
  nextSpanId: () => string
  endpoint: string
  userId: string
  sessionId: string
  environment: string
  release: string
  tags: string[]
  metadata: Record<string, string | number | boolean | null>
}

function call(
  ctx: TraceContext,
  model: ModelProfile,
  startMs: number,
  parent: string | null,
): Span {
  const { random } = ctx
  const durationMs = latencyMs(random, model.latencyMsMedian)
  const failed = random() < ERROR_SHARE
  const common = {
    traceId: ctx.traceId,
    spanId: ctx.nextSpanId(),
    parentSpanId: parent,
    kind: model.kind,
    startTime: startMs,
    endTime: startMs + durationMs,
    provider: model.provider,
    model: model.model,
    endpoint: ctx.endpoint,
    userId: ctx.userId,
    sessionId: ctx.sessionId,
    environment: ctx.environment,
    release: ctx.release,
    tags: ctx.tags,
    metadata: ctx.metadata,
  }

  if (model.kind === 'embedding') {
    return {
      ...common,
      name: `embed ${model.model}`,
      status: 'ok',
      usage: { inputTokens: between(random, 50, 600) },
      input: text(random, 150, 400),
    }
  }

  const prompt = [
    { role: 'system', content: text(random, 60, 160) },
    { role: 'user', content: text(random, 150, 400) },
  ]
  if (failed) {
    return {
      ...common,
      name: `chat ${model.model}`,
      status: 'error',
      error: pick(random, ERRORS),
      input: prompt,
    }
  }

  const inputTokens = between(random, 200, 4_000)
  const outputTokens = between(random, 20, 800)
  const cached = random() < 0.3 ? Math.floor(inputTokens * random() * 0.8) : 0
  const finish = random()
  return {
    ...common,
    name: `chat ${model.model}`,
    status: 'ok',
    usage: {
      inputTokens,
      outputTokens,
      cacheReadTokens: cached,
      reasoningTokens: model.reasoning ? Math.floor(outputTokens * 0.6) : 0,
    },
    timeToFirstTokenMs: Math.round(durationMs * (0.15 + random() * 0.25)),
    finishReason: finish < 0.03 ? 'length' : finish < 0.08 ? 'tool_calls' : 'stop',
    input: prompt,
    output: { role: 'assistant', content: text(random, 100, 500) },
  }
}

/** An agent step: a root span around a retrieval and one or two model calls. */
function agentTrace(ctx: TraceContext, startMs: number): Span[] {
  const { random } = ctx
  const rootId = ctx.nextSpanId()
  const children: Span[] = []
  let cursorMs = startMs + between(random, 1, 20)

  const retrievalMs = between(random, 20, 250)
  children.push({
    traceId: ctx.traceId,
    spanId: ctx.nextSpanId(),
    parentSpanId: rootId,
    name: 'retrieve documents',
    kind: 'retrieval',
    startTime: cursorMs,
    endTime: cursorMs + retrievalMs,
    endpoint: ctx.endpoint,
    status: 'ok',
    input: { query: text(random, 30, 90) },
    output: { documents: between(random, 3, 12) },
  })
  cursorMs += retrievalMs

  const calls = between(random, 1, 2)
  for (let i = 0; i < calls; i++) {
    const span = call(ctx, pick(random, LLM_MODELS), cursorMs, rootId)
    children.push(span)
    cursorMs = (span.endTime as number) + between(random, 1, 30)
  }

  const root: Span = {
    traceId: ctx.traceId,
    spanId: rootId,
    parentSpanId: null,
    name: 'agent step',
    kind: 'agent',
    startTime: startMs,
    endTime: cursorMs,
    endpoint: ctx.endpoint,
    status: children.some((span) => span.status === 'error') ? 'error' : 'ok',
    userId: ctx.userId,
    sessionId: ctx.sessionId,
    environment: ctx.environment,
    release: ctx.release,
    tags: ctx.tags,
    metadata: ctx.metadata,
  }
  if (root.status === 'error') root.error = { type: 'unknown', message: 'a model call failed' }
  return [root, ...children]
}

function traceContext(random: Random, idSegment: string, nextSpanId: () => string): TraceContext {
  const endpointIndex = Math.floor(random() * ENDPOINTS.length)
  const tags: string[] = []
  for (const tag of TAGS) if (random() < 0.15) tags.push(tag)
  return {
    random,
    traceId: `${idSegment}${hex(random, 24)}`,
    nextSpanId,
    endpoint: ENDPOINTS[endpointIndex] as string,
    userId: `u-${between(random, 0, USERS - 1)}`,
    sessionId: `s-${between(random, 0, SESSIONS - 1)}`,
    environment: random() < 0.9 ? 'production' : 'staging',
    release: pick(random, RELEASES),
    tags,
    metadata: {
      feature: FEATURES[endpointIndex] as string,
      locale: pick(random, LOCALES),
      tier: pick(random, TIERS),
      promptVersion: between(random, 1, 4),
    },
  }
}

/**
 * `count` wire spans as an SDK would send them: mostly single model calls, a quarter of traces
 * an agent step of three or four spans; ~2% of calls fail; prompts and completions of a few
 * hundred characters; usage on every successful call so the server prices it.
 */
export function generateSpans(count: number, options: SpanGeneratorOptions): Span[] {
  if (!/^[0-9a-f]{8}$/.test(options.idSegment)) {
    throw new Error(`idSegment must be 8 lower-case hex characters (actual: ${options.idSegment})`)
  }
  const random = seededRandom(options.seed)
  let spanCounter = 0
  const nextSpanId = () => `${options.idSegment}${(spanCounter++).toString(16).padStart(8, '0')}`
  const spans: Span[] = []

  while (spans.length < count) {
    const ctx = traceContext(random, options.idSegment, nextSpanId)
    const startMs = options.startMs + Math.floor(random() * options.spreadMs)
    const trace =
      random() < 0.25 ? agentTrace(ctx, startMs) : [call(ctx, pickModel(random), startMs, null)]
    for (const span of trace) if (spans.length < count) spans.push(span)
  }
  return spans
}
