import { describe, expect, test } from 'bun:test'
import { DEMO_ERROR_CATEGORIES } from './llm-calls.ts'
import { APP_ENDPOINTS, MODELS, RELEASES } from './scenario.ts'
import {
  backfillOptions,
  DEFAULT_TRACES_PER_MINUTE,
  generateTraces,
  INGEST_ITEMS_MAX,
  toBatches,
} from './traffic.ts'
import type { WireSpan } from './wire.ts'

const NOW_MS = Date.UTC(2026, 11, 3, 12, 0, 0)
const options = backfillOptions(NOW_MS, 6, DEFAULT_TRACES_PER_MINUTE, 42)
const traces = [...generateTraces(options)]
const spans = traces.flatMap((trace) => trace.spans)
const scores = traces.flatMap((trace) => trace.scores)

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

const durationMs = (span: WireSpan) => span.endTime - span.startTime

describe('the default backfill', () => {
  test('holds about 20,000 spans over 6 hours, all inside the window', () => {
    expect(spans.length).toBeGreaterThan(17_000)
    expect(spans.length).toBeLessThan(23_000)
    expect(spans.every((span) => span.startTime >= options.startMs)).toBe(true)
    expect(spans.every((span) => span.endTime <= options.endMs)).toBe(true)
  })

  test('is reproducible from its seed', () => {
    const again = [...generateTraces(options)]
    expect(again.slice(0, 50)).toEqual(traces.slice(0, 50))
    const other = [...generateTraces({ ...options, seed: 43 })]
    expect(other[0]?.spans[0]?.traceId).not.toBe(traces[0]?.spans[0]?.traceId)
  })

  test('uses every model, endpoint, environment, release, variant and span kind', () => {
    expect(new Set(spans.map((span) => span.model).filter(Boolean))).toEqual(
      new Set(Object.keys(MODELS)),
    )
    expect(new Set(spans.map((span) => span.endpoint))).toEqual(new Set(Object.keys(APP_ENDPOINTS)))
    expect(new Set(spans.map((span) => span.environment))).toEqual(
      new Set(['production', 'staging']),
    )
    expect(new Set(spans.map((span) => span.release))).toEqual(
      new Set([RELEASES.previous, RELEASES.current]),
    )
    expect(new Set(spans.flatMap((span) => span.tags))).toEqual(
      new Set(['variant:a', 'variant:b', 'beta']),
    )
    expect(new Set(spans.map((span) => span.kind))).toEqual(
      new Set(['llm', 'embedding', 'tool', 'retrieval', 'agent', 'chain']),
    )
    const llama = spans.find((span) => span.model === 'llama-3.1-8b-instruct')
    expect(llama?.provider).toBe('vllm')
  })
})

describe('every trace', () => {
  test('has well-formed, unique ids', () => {
    expect(spans.every((span) => /^[0-9a-f]{32}$/.test(span.traceId))).toBe(true)
    expect(spans.every((span) => /^[0-9a-f]{16}$/.test(span.spanId))).toBe(true)
    expect(new Set(spans.map((span) => span.spanId)).size).toBe(spans.length)
    for (const trace of traces) {
      expect(new Set(trace.spans.map((span) => span.traceId)).size).toBe(1)
    }
  })

  test('has one root, and every parent link resolves to an enclosing span of the trace', () => {
    for (const trace of traces) {
      const byId = new Map(trace.spans.map((span) => [span.spanId, span]))
      expect(trace.spans.filter((span) => span.parentSpanId === null)).toHaveLength(1)
      for (const span of trace.spans) {
        expect(span.startTime).toBeLessThanOrEqual(span.endTime)
        if (span.parentSpanId === null) continue
        const parent = byId.get(span.parentSpanId)
        expect(parent).toBeDefined()
        expect(span.startTime).toBeGreaterThanOrEqual(parent?.startTime ?? Number.NaN)
        expect(span.endTime).toBeLessThanOrEqual(parent?.endTime ?? Number.NaN)
      }
    }
  })

  test('nests agent work: agent > tool > retrieval, next to llm steps', () => {
    const agentTrace = traces.find((trace) =>
      trace.spans.some((span) => span.kind === 'retrieval' && span.name === 'vector_search kb'),
    )
    const byId = new Map(agentTrace?.spans.map((span) => [span.spanId, span]))
    const retrieval = agentTrace?.spans.find((span) => span.name === 'vector_search kb')
    const tool = byId.get(retrieval?.parentSpanId ?? '')
    const agent = byId.get(tool?.parentSpanId ?? '')
    expect(tool?.kind).toBe('tool')
    expect(agent?.kind).toBe('agent')
    const steps = agentTrace?.spans.filter((span) => span.parentSpanId === agent?.spanId)
    expect(steps?.some((span) => span.kind === 'llm' && span.finishReason !== null)).toBe(true)
  })
})

describe('calls and errors', () => {
  const modelCalls = spans.filter((span) => span.kind === 'llm' || span.kind === 'embedding')

  test('uses every error category, each with a message and a plausible status', () => {
    const failed = modelCalls.filter((span) => span.status === 'error')
    const categories = new Set(failed.map((span) => span.error?.type))
    for (const category of DEMO_ERROR_CATEGORIES) expect(categories).toContain(category)
    expect(failed.every((span) => (span.error?.message.length ?? 0) > 0)).toBe(true)
    const statuses = new Set(failed.map((span) => span.error?.httpStatus))
    expect(statuses).toEqual(new Set([429, 500, 529, 400, undefined]))
    expect(failed.every((span) => span.usage === null && span.output === null)).toBe(true)
  })

  test('a failed child fails its parent with the same error', () => {
    const failedRoots = spans.filter(
      (span) => span.parentSpanId === null && span.kind !== 'llm' && span.status === 'error',
    )
    expect(failedRoots.length).toBeGreaterThan(0)
    for (const root of failedRoots) {
      const child = spans.find(
        (span) => span.parentSpanId === root.spanId && span.status === 'error',
      )
      expect(root.error).toEqual(child?.error ?? null)
    }
  })

  test('reports usage the contract way: cached within input, reasoning within output', () => {
    const ok = modelCalls.filter((span) => span.status === 'ok')
    for (const span of ok) {
      const usage = span.usage
      expect(usage).not.toBeNull()
      expect(usage?.cacheReadTokens ?? 0).toBeLessThanOrEqual(usage?.inputTokens ?? 0)
      expect(usage?.reasoningTokens ?? 0).toBeLessThanOrEqual(usage?.outputTokens ?? 0)
      expect(span.costUsd).toBeNull()
    }
    const reasoning = ok.filter((span) => (span.usage?.reasoningTokens ?? 0) > 0)
    expect(new Set(reasoning.map((span) => span.model))).toEqual(new Set(['o3-mini']))
    expect(ok.some((span) => (span.usage?.cacheReadTokens ?? 0) > 0)).toBe(true)
    expect(ok.some((span) => (span.usage?.cacheWriteTokens ?? 0) > 0)).toBe(true)
  })

  test('streamed calls carry a time to first token inside the call', () => {
    const streamed = modelCalls.filter((span) => span.timeToFirstTokenMs !== null)
    expect(streamed.length).toBeGreaterThan(1000)
    for (const span of streamed) {
      expect(span.timeToFirstTokenMs).toBeGreaterThan(0)
      expect(span.timeToFirstTokenMs ?? 0).toBeLessThanOrEqual(durationMs(span))
    }
  })

  test('the spike model is several times slower inside the spike window only', () => {
    const spike = options.spike
    const inWindow = (span: WireSpan) =>
      span.startTime >= spike.startMs && span.startTime < spike.startMs + spike.durationMs
    const calls = modelCalls.filter((span) => span.model === spike.model)
    const okInside = calls.filter((span) => span.status === 'ok' && inWindow(span))
    const okOutside = calls.filter((span) => span.status === 'ok' && !inWindow(span))
    expect(okInside.length).toBeGreaterThan(20)
    expect(median(okInside.map(durationMs))).toBeGreaterThan(3 * median(okOutside.map(durationMs)))

    const timeoutShare = (list: WireSpan[]) =>
      list.filter((span) => span.error?.type === 'timeout').length / list.length
    const inside = calls.filter(inWindow)
    const outside = calls.filter((span) => !inWindow(span))
    expect(timeoutShare(inside)).toBeGreaterThan(5 * timeoutShare(outside))
  })

  test('production moves to the current release at the rollout, staging runs it throughout', () => {
    const production = spans.filter((span) => span.environment === 'production')
    const before = production.filter((span) => span.startTime < options.rolloutMs)
    const after = production.filter((span) => span.startTime >= options.rolloutMs + 60_000)
    expect(new Set(before.map((span) => span.release))).toEqual(new Set([RELEASES.previous]))
    expect(new Set(after.map((span) => span.release))).toEqual(new Set([RELEASES.current]))
    const staging = spans.filter((span) => span.environment === 'staging')
    expect(new Set(staging.map((span) => span.release))).toEqual(new Set([RELEASES.current]))
  })
})

describe('feedback scores', () => {
  const rootsById = new Map(
    spans.filter((span) => span.parentSpanId === null).map((span) => [span.spanId, span]),
  )

  test('point at root spans and arrive after the trace, inside the window', () => {
    expect(scores.length).toBeGreaterThan(500)
    for (const score of scores) {
      const root = rootsById.get(score.spanId)
      expect(root?.traceId).toBe(score.traceId)
      expect(score.source).toBe('user')
      expect(score.time).toBeGreaterThanOrEqual(root?.endTime ?? Number.NaN)
      expect(score.time).toBeLessThanOrEqual(options.endMs)
    }
  })

  test('helpfulness is a value in 0..1 and thumbs a label up or down', () => {
    const helpfulness = scores.filter((score) => score.name === 'helpfulness')
    const thumbs = scores.filter((score) => score.name === 'thumbs')
    expect(helpfulness.length + thumbs.length).toBe(scores.length)
    expect(
      helpfulness.every(
        (s) => s.label === null && s.value !== null && s.value >= 0 && s.value <= 1,
      ),
    ).toBe(true)
    expect(new Set(thumbs.map((score) => score.label))).toEqual(new Set(['up', 'down']))
    expect(thumbs.every((score) => score.value === null)).toBe(true)
  })

  test('variant b rates better than variant a, so the A/B comparison has a finding', () => {
    const meanFor = (variant: string) => {
      const values = scores
        .filter((score) => score.name === 'helpfulness')
        .filter((score) => rootsById.get(score.spanId)?.tags.includes(`variant:${variant}`))
        .map((score) => score.value ?? 0)
      return values.reduce((sum, value) => sum + value, 0) / values.length
    }
    expect(meanFor('b') - meanFor('a')).toBeGreaterThan(0.03)
  })
})

describe('toBatches', () => {
  const batches = [...toBatches(traces)]

  test('keeps every body at or under 500 items and loses nothing', () => {
    for (const batch of batches) {
      expect(batch.spans.length + batch.scores.length).toBeLessThanOrEqual(INGEST_ITEMS_MAX)
    }
    expect(batches.reduce((sum, batch) => sum + batch.spans.length, 0)).toBe(spans.length)
    expect(batches.reduce((sum, batch) => sum + batch.scores.length, 0)).toBe(scores.length)
  })

  test('never splits a trace across bodies', () => {
    const batchOfTrace = new Map<string, number>()
    batches.forEach((batch, index) => {
      for (const span of batch.spans) {
        expect(batchOfTrace.get(span.traceId) ?? index).toBe(index)
        batchOfTrace.set(span.traceId, index)
      }
    })
  })
})
