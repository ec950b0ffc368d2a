import { afterEach, describe, expect, test } from 'bun:test'
import type { AlertEvent, AlertHistoryPage } from '@llmlens/spec'
import type { Server } from 'bun'
import type { LiveEvent } from '../realtime/hub.ts'
import { type Harness, harness } from '../testing/harness.ts'
import { Alerts } from './alerts.ts'
import { WebhookAllowList } from './allow-list.ts'

const MINUTE_MS = 60_000
// 2026-03-02T09:00:00Z
const T = Date.UTC(2026, 2, 2, 9)

let nextId = 0

/** `count` calls spread over [fromMs, fromMs + spanMs), the first `errors` of them failed. */
function calls(fromMs: number, spanMs: number, count: number, errors = 0) {
  return Array.from({ length: count }, (_, i) => {
    const id = ++nextId
    const startTime = fromMs + Math.floor((i * spanMs) / count)
    const failed = i < errors
    return {
      traceId: id.toString(16).padStart(32, '0'),
      spanId: id.toString(16).padStart(16, '0'),
      name: 'chat',
      kind: 'llm',
      startTime,
      endTime: startTime + 500,
      model: 'gpt-4o',
      provider: 'openai',
      status: failed ? 'error' : 'ok',
      error: failed ? { type: 'server_error', message: 'boom', httpStatus: 500 } : null,
      usage: { inputTokens: 100, outputTokens: 20 },
    }
  })
}

/** A webhook receiver on loopback that answers each POST with `status` and keeps the bodies. */
interface Receiver {
  url: string
  bodies: { text: string; alert: { event: string; ruleId: string } }[]
  hits: number
  server: Server<undefined>
}

const receivers: Receiver[] = []
afterEach(() => {
  for (const r of receivers.splice(0)) r.server.stop(true)
})

function receiver(status = 200): Receiver {
  const r: Receiver = { url: '', bodies: [], hits: 0, server: undefined as never }
  r.server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      r.hits++
      r.bodies.push(await request.json())
      return new Response(status === 200 ? 'ok' : 'nope', { status })
    },
  })
  r.url = `http://127.0.0.1:${r.server.port}/hook`
  receivers.push(r)
  return r
}

function alertHarness() {
  return harness({
    webhookAllow: '127.0.0.1',
    webhooks: { attempts: 3, backoffMs: 5, backoffMsMax: 20, timeoutMs: 2000 },
  })
}

function errorRule(webhook: string) {
  return {
    id: 'errors',
    name: 'Error rate above 10%',
    metric: 'errorRate',
    condition: { type: 'threshold', op: '>', value: 0.1 },
    windowMs: 5 * MINUTE_MS,
    cooldownMs: 0,
    minCount: 10,
    webhooks: [webhook],
  }
}

async function ingest(h: Harness, spans: object[]) {
  expect((await h.post('/api/v1/ingest', { spans })).status).toBe(200)
}

function alertEvents(h: Harness): AlertEvent[] {
  const events: AlertEvent[] = []
  h.hub.subscribe({
    deliver(event: LiveEvent) {
      if (event.type === 'alert') events.push(JSON.parse(event.json))
      return true
    },
    close() {},
  })
  return events
}

describe('alert rules on a threshold', () => {
  test('a loopback receiver gets the fire and the resolve exactly once each', async () => {
    const h = alertHarness()
    const hook = receiver()
    const live = alertEvents(h)
    h.alerts.add(errorRule(hook.url))

    await ingest(h, calls(T, 5 * MINUTE_MS, 50, 20))
    expect(h.alerts.evaluate(T + 5 * MINUTE_MS).map((e) => e.state)).toEqual(['firing'])
    // Still past the threshold a minute later: firing already, nothing new to say.
    expect(h.alerts.evaluate(T + 6 * MINUTE_MS)).toEqual([])

    await ingest(h, calls(T + 6 * MINUTE_MS, 5 * MINUTE_MS, 100))
    expect(h.alerts.evaluate(T + 11 * MINUTE_MS).map((e) => e.state)).toEqual(['resolved'])
    expect(h.alerts.evaluate(T + 12 * MINUTE_MS)).toEqual([])
    await h.alerts.webhooks.idle()

    expect(hook.bodies.map((b) => [b.alert.event, b.alert.ruleId])).toEqual([
      ['firing', 'errors'],
      ['resolved', 'errors'],
    ])
    expect(hook.bodies[0]?.text).toBe(
      '[FIRING] Error rate above 10%: errorRate is 0.4 over the last 5 min (50 calls); condition > 0.1',
    )
    expect(hook.bodies[1]?.text).toStartWith('[RESOLVED] Error rate above 10%: errorRate is 0 ')
    expect(live.map((e) => e.state)).toEqual(['firing', 'resolved'])

    const history = await h.json(`/api/v1/alerts/history?from=${T}&to=${T + 60 * MINUTE_MS}`)
    expect((history.body as AlertHistoryPage).items.map((e) => [e.state, e.time])).toEqual([
      ['resolved', T + 11 * MINUTE_MS],
      ['firing', T + 5 * MINUTE_MS],
    ])
  })

  test('a receiver that keeps failing is retried, then given up with a log line', async () => {
    const h = alertHarness()
    const hook = receiver(503)
    h.alerts.add(errorRule(hook.url))
    await ingest(h, calls(T, 5 * MINUTE_MS, 50, 20))

    h.alerts.evaluate(T + 5 * MINUTE_MS)
    await h.alerts.webhooks.idle()

    expect(hook.hits).toBe(3)
    const gaveUp = h.log.lines.filter((line) => line.includes('msg="webhook delivery gave up"'))
    expect(gaveUp).toHaveLength(1)
    expect(gaveUp[0]).toContain('level=warn')
    expect(gaveUp[0]).toContain(`host=127.0.0.1:${hook.server.port}`)
    expect(gaveUp[0]).toContain('attempts=3')
    expect(gaveUp[0]).toContain('error="HTTP 503"')
  })

  test('a receiver that refuses the request is not retried', async () => {
    const h = alertHarness()
    const hook = receiver(404)
    h.alerts.add(errorRule(hook.url))
    await ingest(h, calls(T, 5 * MINUTE_MS, 50, 20))

    h.alerts.evaluate(T + 5 * MINUTE_MS)
    await h.alerts.webhooks.idle()

    expect(hook.hits).toBe(1)
    expect(h.log.lines.some((l) => l.includes('not retried') && l.includes('HTTP 404'))).toBe(true)
  })

  test('cooldown keeps a flapping rule from firing again too soon', async () => {
    const h = alertHarness()
    h.alerts.add({ ...errorRule(receiver().url), cooldownMs: 30 * MINUTE_MS, windowMs: MINUTE_MS })
    for (const minute of [0, 2, 4])
      await ingest(h, calls(T + minute * MINUTE_MS, MINUTE_MS, 20, 10))

    const states = [1, 2, 3, 4, 5].flatMap((m) =>
      h.alerts.evaluate(T + m * MINUTE_MS).map((e) => e.state),
    )
    // Fires at 1, resolves at 2; the breach at 3 is inside the 30-minute cooldown.
    expect(states).toEqual(['firing', 'resolved'])
  })

  test('a restart remembers which rules are firing, and does not fire them twice', async () => {
    const h = alertHarness()
    const hook = receiver()
    h.alerts.add(errorRule(hook.url))
    await ingest(h, calls(T, 5 * MINUTE_MS, 50, 20))
    h.alerts.evaluate(T + 5 * MINUTE_MS)

    const restarted = new Alerts({
      store: h.store,
      hub: h.hub,
      log: h.log,
      allow: WebhookAllowList.parse('127.0.0.1'),
    })
    expect(restarted.rules().map((r) => [r.id, r.state, r.since])).toEqual([
      ['errors', 'firing', T + 5 * MINUTE_MS],
    ])
    expect(restarted.evaluate(T + 6 * MINUTE_MS)).toEqual([])
    await h.alerts.webhooks.idle()
    expect(hook.hits).toBe(1)
  })

  test('too few calls in the window is no data, which never fires', async () => {
    const h = alertHarness()
    h.alerts.add(errorRule(receiver().url))
    await ingest(h, calls(T, 5 * MINUTE_MS, 5, 5))
    expect(h.alerts.evaluate(T + 5 * MINUTE_MS)).toEqual([])
  })
})

describe('alert rules on anomalies', () => {
  test('a critical latency anomaly fires, naming the model', async () => {
    const h = alertHarness()
    // Two calm hours of steady latency, then three minutes at 4× it.
    const spans = calls(T - 2 * 60 * MINUTE_MS, 123 * MINUTE_MS, 123 * 20).map((span, i) => {
      const jitter = 400 + ((i * 37) % 200)
      const slow = span.startTime >= T ? 4 : 1
      return { ...span, endTime: span.startTime + jitter * slow }
    })
    await ingest(h, spans)
    h.alerts.add({
      id: 'latency',
      name: 'Latency anomaly',
      metric: 'latencyMs',
      condition: { type: 'anomaly', severity: 'critical' },
      windowMs: 5 * MINUTE_MS,
    })

    const [event] = h.alerts.evaluate(T + 3 * MINUTE_MS)
    expect(event).toMatchObject({
      state: 'firing',
      key: { model: 'gpt-4o' },
      condition: 'critical anomaly',
    })
    expect(event?.message).toStartWith('[FIRING] Latency anomaly: latencyMs at 09:0')
  })
})
