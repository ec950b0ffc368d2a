import type { Metrics, StoredSpan } from '@llmlens/spec'

/** A stored LLM span for unit tests, with `fields` overriding the defaults. */
export function storedSpan(fields: Partial<StoredSpan> = {}): StoredSpan {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    parentSpanId: null,
    name: 'chat gpt-4o-mini',
    kind: 'llm',
    startTime: 1_000,
    endTime: 1_800,
    durationMs: 800,
    provider: 'openai',
    model: 'gpt-4o-mini',
    modelFamily: 'gpt-4o-mini',
    requestModel: 'gpt-4o-mini',
    endpoint: '/api/chat',
    status: 'ok',
    error: null,
    usage: {
      inputTokens: 120,
      outputTokens: 80,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    costUsd: 0.001,
    costEstimated: true,
    timeToFirstTokenMs: 200,
    finishReason: 'stop',
    userId: 'u-1',
    sessionId: 's-1',
    environment: 'production',
    release: '2026.12.1',
    tags: ['beta', 'variant:a'],
    metadata: {},
    input: null,
    output: null,
    ...fields,
  }
}

/** The metrics of a group with no calls, for unit tests to spread their fields over. */
export function emptyMetrics(): Metrics {
  const none = { p50: null, p95: null, p99: null, mean: null, max: null }
  return {
    count: 0,
    errorCount: 0,
    errorRate: 0,
    latencyMs: none,
    ttftMs: none,
    usage: {
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 0,
    },
    costUsd: 0,
    unpricedCount: 0,
    errorsByType: {},
    scores: {},
  }
}
