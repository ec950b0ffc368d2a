import assert from 'node:assert/strict'
import { createLlmlens, type Llmlens } from '../llmlens.ts'
import type { LlmlensErrorEvent } from '../types.ts'
import { type RunningProcess, startFakeProvider, startServer } from './processes.ts'
import { getTrace, type StoredTrace } from './server-api.ts'

/** A real server, the fake provider and an SDK instance exporting to the server. */
export interface Live {
  server: RunningProcess
  provider: RunningProcess
  lens: Llmlens
  errors: LlmlensErrorEvent[]
  /** Flushes, then reads the trace back from the server. */
  stored(traceId: string): Promise<StoredTrace>
  /** Flushes, then returns the only span of the only trace that `traceId` names. */
  onlySpan(traceId: string): Promise<Record<string, unknown>>
  stop(): Promise<void>
}

export async function startLive(): Promise<Live> {
  const [server, provider] = await Promise.all([startServer(), startFakeProvider()])
  const errors: LlmlensErrorEvent[] = []
  const lens = createLlmlens({ url: server.url, onError: (event) => errors.push(event) })
  const stored = async (traceId: string) => {
    assert.equal(await lens.flush(), true, 'flush finished')
    return getTrace(server.url, traceId)
  }
  return {
    server,
    provider,
    lens,
    errors,
    stored,
    async onlySpan(traceId) {
      const trace = await stored(traceId)
      assert.equal(trace.spans.length, 1, 'one span stored')
      return trace.spans[0] as Record<string, unknown>
    },
    async stop() {
      await lens.shutdown()
      await Promise.all([server.stop(), provider.stop()])
    },
  }
}

/**
 * A stored span split into what a run cannot fix (ids, times, the server's cost) and the rest,
 * which tests compare exactly. The variable part is checked for consistency here; a time to
 * first token becomes `'measured'`.
 */
export function stable(span: Record<string, unknown>): Record<string, unknown> {
  const { traceId, spanId, startTime, endTime, durationMs, timeToFirstTokenMs, costUsd, ...rest } =
    span
  assert.match(String(traceId), /^[0-9a-f]{32}$/)
  assert.match(String(spanId), /^[0-9a-f]{16}$/)
  assert.equal(typeof startTime, 'number')
  assert.ok((endTime as number) >= (startTime as number), 'ends after it starts')
  assert.ok(Math.abs((durationMs as number) - ((endTime as number) - (startTime as number))) < 1e-6)
  if (timeToFirstTokenMs !== null) {
    assert.ok((timeToFirstTokenMs as number) >= 0, 'first token after the start')
    assert.ok(
      (timeToFirstTokenMs as number) <= (durationMs as number),
      'first token before the end',
    )
  }
  assert.ok(costUsd === null || (typeof costUsd === 'number' && costUsd >= 0))
  return { ...rest, timeToFirstTokenMs: timeToFirstTokenMs === null ? null : 'measured' }
}

/** The stored span's fields every test repeats: no attributes, nothing unusual. */
export const PLAIN = {
  parentSpanId: null,
  endpoint: null,
  status: 'ok',
  error: null,
  userId: null,
  sessionId: null,
  environment: null,
  release: null,
  tags: [],
  metadata: {},
  timeToFirstTokenMs: null,
}
