import { describe, expect, test } from 'bun:test'
import type { Anomaly } from '@llmlens/spec'
import type { LiveEvent } from '../realtime/hub.ts'
import { harness } from '../testing/harness.ts'
import { LiveMonitor } from './live.ts'

const MINUTE_MS = 60_000
// 2026-03-03T12:00:00Z
const T = Date.UTC(2026, 2, 3, 12)

/** Twenty calls a minute of one model from `fromMs` for `minutes`, latency × `slow` from `slowFromMs`. */
function traffic(fromMs: number, minutes: number, slowFromMs: number, slow: number) {
  return Array.from({ length: minutes * 20 }, (_, i) => {
    const startTime = fromMs + i * 3000
    const durationMs = (400 + ((i * 37) % 200)) * (startTime >= slowFromMs ? slow : 1)
    return {
      traceId: (i + 1).toString(16).padStart(32, '0'),
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'chat',
      kind: 'llm',
      startTime,
      endTime: startTime + durationMs,
      model: 'gpt-4o-mini',
      provider: 'openai',
      usage: { inputTokens: 100, outputTokens: 20 },
    }
  })
}

describe('LiveMonitor', () => {
  test('judges each bucket once as it closes and pushes its anomalies as `anomaly` events', async () => {
    const h = harness()
    const events: LiveEvent[] = []
    h.hub.subscribe({ deliver: (e) => events.push(e) > 0, close() {} })
    // Two calm hours, then the minute from T is five times slower.
    expect(
      (await h.post('/api/v1/ingest', { spans: traffic(T - 120 * MINUTE_MS, 121, T, 5) })).status,
    ).toBe(200)
    const monitor = new LiveMonitor({ store: h.store, hub: h.hub, log: h.log, alerts: h.alerts })

    // 12:00:10: the bucket from 11:59 is the newest past its grace; calm.
    expect(monitor.tick(T + 10_000)).toEqual([])
    // 12:01:20: the bucket from 12:00 closed 20 s ago.
    const found = monitor.tick(T + MINUTE_MS + 20_000)
    expect(
      found.filter((a) => a.kind === 'bucket').map((a) => [a.metric, a.time, a.severity]),
    ).toEqual(expect.arrayContaining([['latencyMs', T, 'critical']]))
    // The same bucket is never judged twice.
    expect(monitor.tick(T + MINUTE_MS + 40_000)).toEqual([])

    const anomalyEvents = events
      .filter((e) => e.type === 'anomaly')
      .map((e) => JSON.parse(e.json) as Anomaly)
    expect(anomalyEvents).toEqual(found)
    expect(anomalyEvents[0]?.key).toEqual({ model: 'gpt-4o-mini' })
  })

  test('alerts are evaluated on every tick and reach the SSE stream as `alert` events', async () => {
    const h = harness()
    await h.post('/api/v1/ingest', { spans: traffic(T - 10 * MINUTE_MS, 10, T, 1) })
    h.alerts.add({
      id: 'busy',
      name: 'More than 50 calls in 5 min',
      metric: 'count',
      condition: { type: 'threshold', op: '>', value: 50 },
    })
    const response = await h.request('/api/v1/stream')
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const monitor = new LiveMonitor({ store: h.store, hub: h.hub, log: h.log, alerts: h.alerts })

    let text = ''
    const decoder = new TextDecoder()
    const readUntil = async (marker: string) => {
      while (!text.includes(marker)) {
        const chunk = await reader.read()
        if (chunk.done) break
        text += decoder.decode(chunk.value)
      }
    }
    // Subscribed once the stream says so; only then is an event sure to reach it.
    await readUntil(': connected')
    monitor.tick(T)
    await readUntil('event: alert')
    await reader.cancel()
    expect(text).toContain('event: alert')
    expect(text).toContain('"ruleId":"busy"')
    expect(text).toContain('"state":"firing"')
  })
})
