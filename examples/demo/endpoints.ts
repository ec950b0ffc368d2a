import { addModelCallSpan } from './llm-calls.ts'
import { chance, integerBetween, logNormal, pick } from './random.ts'
import {
  AGENT_TOOLS,
  type AppEndpoint,
  CHAT_PROMPTS,
  DOCUMENTS,
  RELEASES,
  SEARCH_QUERIES,
} from './scenario.ts'
import type { TraceBuilder } from './trace-builder.ts'
import type { WireSpan } from './wire.ts'

const SYSTEM_PROMPT = 'You are the support assistant of Acme Cloud. Answer briefly and cite docs.'

/** Builds the spans of one request to an endpoint and returns its root span. */
export type EndpointHandler = (builder: TraceBuilder, startMs: number) => WireSpan

/** `/api/chat`: one streamed (mostly) LLM call; the A/B test compares two models here. */
function chat(builder: TraceBuilder, startMs: number): WireSpan {
  const { random, context } = builder
  const prompt = pick(random, CHAT_PROMPTS)
  return addModelCallSpan(builder, {
    model: context.variant === 'a' ? 'gpt-4o-mini' : 'claude-3-5-haiku',
    parentSpanId: null,
    startMs,
    inputTokens: Math.round(logNormal(random, 650, 2400)),
    outputTokens: Math.round(logNormal(random, 170, 520)),
    stream: chance(random, 0.7),
    endsWithToolCall: false,
    cacheablePrefix: context.variant === 'b',
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: prompt },
    ],
    answer: `Here is how to handle "${prompt}": open Settings, then follow the linked guide.`,
    metadata: { feature: 'support-chat' },
  })
}

/** `/api/search`: embed the query, search the vector index, answer from the hits. */
function search(builder: TraceBuilder, startMs: number): WireSpan {
  const { random } = builder
  const query = pick(random, SEARCH_QUERIES)
  const root = builder.add({
    name: 'search',
    kind: 'chain',
    parentSpanId: null,
    startTime: startMs,
    endTime: startMs,
    input: [{ role: 'user', content: query }],
    metadata: { feature: 'docs-search' },
  })

  const embed = addModelCallSpan(builder, {
    model: 'text-embedding-3-small',
    parentSpanId: root.spanId,
    startMs: startMs + 1,
    inputTokens: integerBetween(random, 4, 24),
    outputTokens: 0,
    stream: false,
    endsWithToolCall: false,
    cacheablePrefix: false,
    messages: [{ role: 'user', content: query }],
    answer: '',
  })
  if (embed.status === 'ok') {
    const retrieval = builder.add({
      name: 'vector_search docs-v3',
      kind: 'retrieval',
      parentSpanId: root.spanId,
      startTime: embed.endTime + 1,
      endTime: embed.endTime + 1 + logNormal(random, 35, 140),
      metadata: { topK: 8, index: 'docs-v3' },
    })
    addModelCallSpan(builder, {
      model: chance(random, 0.55) ? 'llama-3.1-8b-instruct' : 'claude-3-5-haiku',
      parentSpanId: root.spanId,
      startMs: retrieval.endTime + 1,
      inputTokens: Math.round(logNormal(random, 1800, 4200)),
      outputTokens: Math.round(logNormal(random, 140, 380)),
      stream: chance(random, 0.5),
      endsWithToolCall: false,
      cacheablePrefix: false,
      messages: [{ role: 'user', content: `Answer "${query}" from the 8 passages below.` }],
      answer: `The docs on ${query} say: see section 3.`,
    })
  }
  builder.close(root)
  return root
}

/** `/api/summarize`: summarise chunks in parallel, then merge; the new release sends more. */
function summarize(builder: TraceBuilder, startMs: number): WireSpan {
  const { random, context } = builder
  const document = pick(random, DOCUMENTS)
  const root = builder.add({
    name: 'summarize',
    kind: 'chain',
    parentSpanId: null,
    startTime: startMs,
    endTime: startMs,
    input: [{ role: 'user', content: `Summarise: ${document}` }],
    metadata: { feature: 'summaries' },
  })

  // Release 2026.12.1 raised the chunk size: 60% more input tokens per call, the regression
  // a release comparison should surface.
  const chunkScale = context.release === RELEASES.current ? 1.6 : 1
  const chunks = integerBetween(random, 2, 4)
  const maps = Array.from({ length: chunks }, (_, index) =>
    addModelCallSpan(builder, {
      model: 'gpt-4o-mini',
      parentSpanId: root.spanId,
      startMs: startMs + 3 + index * 12,
      inputTokens: Math.round(logNormal(random, 1400, 3500) * chunkScale),
      outputTokens: Math.round(logNormal(random, 140, 300)),
      stream: false,
      endsWithToolCall: false,
      cacheablePrefix: false,
      messages: [{ role: 'user', content: `Summarise part ${index + 1} of ${document}.` }],
      answer: `Part ${index + 1}: the key points of ${document}.`,
      metadata: { step: 'map' },
    }),
  )
  if (maps.every((span) => span.status === 'ok')) {
    addModelCallSpan(builder, {
      model: 'gpt-4o',
      parentSpanId: root.spanId,
      startMs: Math.max(...maps.map((span) => span.endTime)) + 1,
      inputTokens: 400 + maps.reduce((sum, span) => sum + (span.usage?.outputTokens ?? 0), 0),
      outputTokens: Math.round(logNormal(random, 260, 600)),
      stream: false,
      endsWithToolCall: false,
      cacheablePrefix: false,
      messages: [{ role: 'user', content: `Merge ${chunks} partial summaries of ${document}.` }],
      answer: `${document}: three decisions, two risks, one open question.`,
      metadata: { step: 'reduce' },
    })
  }
  builder.close(root)
  return root
}

/** `/api/agent`: plan, call tools (one nests a retrieval), repeat, then answer. */
function agent(builder: TraceBuilder, startMs: number): WireSpan {
  const { random, context } = builder
  const prompt = pick(random, CHAT_PROMPTS)
  const root = builder.add({
    name: 'support-agent',
    kind: 'agent',
    parentSpanId: null,
    startTime: startMs,
    endTime: startMs,
    input: [{ role: 'user', content: prompt }],
    metadata: { feature: 'agent' },
  })
  const model = context.variant === 'a' ? 'o3-mini' : 'claude-sonnet-4'
  const rounds = integerBetween(random, 1, 3)
  let cursorMs = startMs + 2

  for (let round = 0; round <= rounds; round++) {
    const final = round === rounds
    const tool = pick(random, AGENT_TOOLS)
    const step = addModelCallSpan(builder, {
      model,
      parentSpanId: root.spanId,
      startMs: cursorMs,
      inputTokens: Math.round(logNormal(random, 2400, 6000)) + round * 300,
      outputTokens: final
        ? Math.round(logNormal(random, 220, 600))
        : integerBetween(random, 20, 60),
      stream: final && chance(random, 0.5),
      endsWithToolCall: !final,
      cacheablePrefix: true,
      messages: [
        { role: 'system', content: `${SYSTEM_PROMPT} Tools: ${AGENT_TOOLS.join(', ')}.` },
        { role: 'user', content: prompt },
      ],
      answer: final ? `Done: ${prompt} is resolved.` : `Calling ${tool}.`,
      metadata: { step: round },
    })
    if (step.status === 'error' || final) break
    cursorMs = addToolSpan(builder, root.spanId, tool, step.endTime + 1) + 1
  }
  builder.close(root, 3)
  return root
}

/** A tool call; `search_kb` runs a retrieval inside it. Returns when the tool finished. */
function addToolSpan(
  builder: TraceBuilder,
  parentSpanId: string,
  tool: string,
  startMs: number,
): number {
  const { random } = builder
  const span = builder.add({
    name: `tool ${tool}`,
    kind: 'tool',
    parentSpanId,
    startTime: startMs,
    endTime: startMs,
    input: [
      {
        role: 'tool',
        content: JSON.stringify({ tool, orderId: integerBetween(random, 1000, 9999) }),
      },
    ],
    output: { role: 'tool', content: '{"status":"ok"}' },
  })
  let endMs = startMs + logNormal(random, 80, 600)
  if (tool === 'search_kb') {
    const retrievalEndMs = startMs + 2 + logNormal(random, 30, 120)
    builder.add({
      name: 'vector_search kb',
      kind: 'retrieval',
      parentSpanId: span.spanId,
      startTime: startMs + 2,
      endTime: retrievalEndMs,
      metadata: { topK: 5, index: 'kb' },
    })
    endMs = Math.max(endMs, retrievalEndMs + 1)
  }
  span.endTime = endMs
  return endMs
}

export const ENDPOINT_HANDLERS: Record<AppEndpoint, EndpointHandler> = {
  '/api/chat': chat,
  '/api/search': search,
  '/api/summarize': summarize,
  '/api/agent': agent,
}
